# ruff: noqa: E501
"""A labelled set for the constructiveness scorer, written for this project: eight invented news
stories and comments under them, each marked constructive (`+`) or not (`-`). Data only: no
model code here. The texts are invented; no real site's comments are copied.

Constructive means it advances the story: it gives a reason, evidence, a number or a source, a
relevant personal experience, or a concrete question or proposal; it is civil; it is about this
story. Length is deliberately not the answer: there are long rants, off-topic essays, padded
repetition, long insults and copy-paste filler marked `-`, and one-line corrections marked `+`.
The set is split in two by a hash of each text (`is_test`): tune on the development half only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class LabelledComment:
    story: Story
    text: str
    is_constructive: bool


STORIES = (
    Story(
        "route14",
        "Transit board cuts late-night service on Route 14",
        "The Riverside Transit board voted 5-2 on Tuesday to end Route 14 buses after 9 p.m. from March, saving an estimated $1.2 million a year. Staff said evening trips carry an average of 11 riders. Night-shift workers at the Eastgate hospital and the distribution park told the board they have no other way home; the board promised to study an on-demand shuttle by summer.",
    ),
    Story(
        "fourday",
        "Millbrook schools weigh a four-day week to fill teacher vacancies",
        "With 46 teaching posts unfilled, the Millbrook school district is consulting parents on a four-day week from next autumn, with longer school days Monday to Thursday. The superintendent says neighbouring districts that switched saw more applicants. Parents' groups worry about childcare on Fridays, and the district has not said whether it would run Friday care or meals.",
    ),
    Story(
        "leadpipes",
        "City to replace 3,400 lead service lines over eight years",
        "The city water department will replace the remaining 3,400 lead pipes that connect homes to the mains, starting with streets near schools and daycares. The $61 million plan relies on a state loan and a rate rise of about 4% a year. Homeowners will pay nothing for the public side of the line, but the private side inside the property line will cost up to $2,500 unless the council approves a subsidy.",
    ),
    Story(
        "burns",
        "County plans prescribed burns near Pine Hollow after a dry summer",
        "Fire crews plan controlled burns on 1,200 acres of forest around Pine Hollow this spring to clear the dead brush left by two dry summers. The county says burning in cool, damp weeks lowers the risk of a summer wildfire reaching the 300 homes on the ridge. Residents with asthma and the owners of the Pine Hollow campground have asked for notice and for the burns to avoid the Easter holiday.",
    ),
    Story(
        "erwait",
        "Emergency waits at St. Brendan's reach six hours, audit finds",
        "A state audit of St. Brendan's Hospital found that the median wait from arrival to being seen by a doctor in the emergency department rose from 2.5 hours in 2022 to 6 hours this year. The audit blames a shortage of inpatient beds, which leaves admitted patients on trolleys in the emergency department, and recommends opening a discharge lounge and hiring 30 nurses. The hospital says it has started recruiting.",
    ),
    Story(
        "rentals",
        "Lakeshore caps short-term rentals at 90 nights a year",
        "Lakeshore's council has limited whole-home short-term rentals to 90 nights a year unless the owner lives on the property. The town counts 610 listings against 2,900 homes, and the mayor says the cap will return homes to long-term renters. Cleaners, property managers and some owners who rent out a family cottage in summer say the rule will cost them their income; the cap starts in June and fines are $1,000 a night.",
    ),
    Story(
        "arena",
        "Team owners ask for $240 million in public money for a new arena",
        "The owners of the Harbour City Gulls hockey team want the city and province to pay $240 million of the $650 million cost of a downtown arena, saying the team could otherwise leave when its lease ends in 2029. Supporters point to jobs and visitors; critics cite studies finding that stadium subsidies rarely pay back. The council will hold a public hearing next month before any vote.",
    ),
    Story(
        "bikelanes",
        "A year of protected bike lanes on Elm Street: what the crash data shows",
        "A year after Elm Street got concrete-protected bike lanes and lost a car lane, police data show injury crashes on the corridor fell from 31 to 17. Bike counts at the library doubled on weekdays. Some shop owners say their sales dropped after parking spaces were removed, while the business association's own survey found most customers arrive on foot or by bus. The city is deciding whether to extend the lanes to Oak Avenue.",
    ),
)

# One tuple of comments per story, in the order of STORIES: "+ " constructive, "- " not.
_COMMENTS: dict[str, tuple[str, ...]] = {
    "route14": (
        "+ 11 riders a trip is the average; the 10:40 run from Eastgate is standing room only when the hospital shift ends.",
        "+ Does the $1.2 million include the fares they will lose, or is it the gross operating cost?",
        "+ I work nights at Eastgate. Without the 14 my commute becomes a 50-minute walk along a road with no sidewalk, or a $22 taxi each way. That is more than an hour's pay.",
        "+ Stagger it instead: keep the last two runs that match the hospital's 11 p.m. shift change and cut the ones in between. Most of the savings, none of the stranded workers.",
        "+ The staff report (agenda item 6, page 12) puts the cost per night boarding at $9.80, against $4.10 for daytime trips. That gap is the real argument, and it should have been in this story.",
        "+ A shuttle 'studied by summer' means nothing runs in March. The board should not cut service before the replacement exists.",
        "+ Halden replaced its night buses with a booking app in 2019 and night ridership fell by half within a year, because people could not rely on it. Has the board looked at that?",
        "+ Who were the two no votes, and what did they propose instead?",
        "+ Cut the trips with 3 riders, keep the ones with 30. The average of 11 hides both.",
        "+ I'm a dispatcher at the distribution park: about 140 of our people start or finish after 9. We would chip in for a shuttle if the transit authority asked; nobody has.",
        "+ Fare recovery on this route was about 18% according to last year's annual report, so each cut trip saves far more than it loses in fares. I still think the hospital workers need a plan, but the board's arithmetic isn't wrong.",
        "+ Could the hospital and the park co-fund the late runs? Employers pay for staff shuttles in plenty of places.",
        "+ Is there really no overlap with Route 9? It runs until midnight two blocks from the park entrance.",
        "+ Meeting video, with the workers' testimony at about 1:10:00: riversidetransit.example/board/2026-11-24",
        "+ One more figure would help: how many of those 11 riders transfer to another route? Cutting a feeder hurts more than the count suggests.",
        "+ My daughter is a nurse there and already leaves at 8:30 to catch a bus, which means the ward is short for the last half hour of every evening shift.",
        "- Typical.",
        "- lol who even rides the bus at night",
        "- THE BOARD IS A JOKE!!! THEY DON'T CARE ABOUT ANYONE!!! VOTE THEM ALL OUT!!! EVERY SINGLE ONE OF THEM!!! DISGRACE!!! ABSOLUTE DISGRACE!!!",
        "- This is what happens. This is what always happens. They cut and cut and cut and then they cut some more, and then they act surprised, and then they cut again. It is always the same. Always the same thing. Cut, cut, cut. Same thing every time, every single time, and nobody ever learns anything.",
        "- Anyone who votes for these clowns deserves to sit at a bus stop all night. Morons, the lot of them.",
        "- Speaking of buses, I took a coach tour of Scotland last spring and it was simply wonderful. The lochs were misty in the mornings, the guide told us a story about every castle we passed, and the hotel in Inverness served the best porridge I have ever had. If anyone is planning a trip, go in May, before the midges.",
        "- Great article, thanks for sharing!",
        "- Earn $500 a day from home!!! Click my profile to learn how I quit my job and now work only 2 hours a day.",
        "- Why does the paper even bother reporting this stuff. Nobody reads it. Nobody cares. Just more depressing news, day after day after day, and I'm tired of it, honestly tired of all of it, the news, the comments, the whole thing, I don't know why I even open this website anymore.",
        "- The board members are overpaid parasites who have never set foot on a bus in their pathetic lives, and whoever wrote this article is just as useless as they are, a lazy hack copying out press releases.",
        "- First!",
        "- Honestly the whole country has been going downhill since the moon landing hoax, which if you look into it was filmed in a studio, and once you realise that you realise they have been lying about everything, the buses, the schools, the weather, all of it.",
        "- Buses are bad. Cars are bad too. Everything is bad. Bad bad bad. Nothing works and nothing will ever work and there is no point in anything at all, so why bother.",
        "- Agree with everything above.",
        "- I used to love riding the bus as a kid. My favourite colour was green and we had a dog called Biscuit who waited at the end of the driveway every afternoon. Those were the days, before phones, before all this. Kids played outside then.",
        "- Shut up, all of you.",
    ),
    "fourday": (
        "+ Bramwell switched in 2023 and applications per post went from 2 to 5, but its test scores dipped in the second year. Both facts belong in the consultation.",
        "+ Who pays for Friday care? If the district doesn't run it, a family with two working parents pays for a fifth day of childcare, roughly $60 a week here.",
        "+ I teach in a four-day district. The longer days are brutal for the little ones: by 3:30 my second graders are done. It works better for high school.",
        "+ Proposal: keep five days for kindergarten to grade 3 and try four days for the secondary schools first.",
        "+ The 46 vacancies are mostly special education and maths. Would a four-day week attract those specialists, or just more applicants for posts that are already easy to fill?",
        "+ Free school meals on Fridays matter: 38% of Millbrook pupils qualify, according to the district's own equity report. Without a Friday meal plan this shifts hunger onto those kids.",
        "+ Has anyone asked the bus contractor? Longer days push the last run later, and the drivers' contract limits shift length.",
        "+ The research summary from the state education department found small negative effects on maths in rural districts. Worth reading before the survey closes: it is linked from the district newsletter.",
        "+ How many of the 46 posts are vacant because of pay rather than schedule? A survey of the teachers who turned down offers would tell us.",
        "+ We moved here from a four-day district. My son loved Fridays but we paid a sitter $240 a month, and the school never offered anything.",
        "+ Good reporting. One correction: the consultation closes on the 14th, not the 15th, according to the district's site.",
        "+ Perhaps Fridays could be used for tutoring and clubs run by the district, paid from what is saved on buses and heating.",
        "+ Why not raise the starting salary instead? The district is $4,000 below its neighbours, and that gap is what candidates mention.",
        "+ As a parent of twins in grade 2, I'd accept it if there were Friday care at the school at a fair price.",
        "- Teachers only work 9 months a year already, now they want 4 days a week too? Lazy. Lazy. Lazy.",
        "- whatever",
        "- This district has been a disaster for decades and the superintendent is an incompetent fool who should be run out of town along with the whole board of clueless, useless, self-serving idiots.",
        "- Schools, schools, schools. All anyone talks about is schools. Schools this and schools that. When I was young we didn't talk about schools all day long, we just went to school and that was that, and nobody talked about schools the way everyone talks about schools now.",
        "- Back in my day we walked four miles to school, uphill both ways, in the snow, and we were grateful for it. My father worked two jobs and never complained once in his life. Kids today have no idea how good they have it, with their phones and their games and their snacks.",
        "- Great read!",
        "- I found an amazing recipe for lemon cake this weekend: three eggs, a cup of sugar, the zest of two lemons, and butter, lots of butter. Bake it low and slow and let it cool before you glaze it. My neighbours could smell it from the street and came over to ask for the recipe.",
        "- FOUR DAYS??? WHAT NEXT, THREE DAYS??? TWO??? WHY NOT JUST CLOSE THE SCHOOLS AND BE DONE WITH IT??? UNBELIEVABLE!!!",
        "- Nobody asked for this. Nobody wants this. Nobody needs this.",
        "- Get a real job, parents, and stop whining.",
        "- Visit our site for the best deals on school supplies, backpacks and more!!! Free shipping on all orders this week only!!!",
        "- Another day, another story, another comment section full of the same people saying the same things they always say, on every story, every day, about everything, and I am just as bad because here I am saying it too.",
        "- The real problem is that nobody reads books any more. Everyone is staring at screens. Civilisation is ending and no one cares, and the tech companies are laughing all the way to the bank while our brains turn to mush.",
        "- Ridiculous.",
        "- Whoever thought of this should be ashamed. Ashamed. Truly ashamed. What a shameful, shameful idea.",
        "- The writer clearly has no kids and no clue. Pathetic journalism from a pathetic paper.",
        "- Paid a sitter, skipped lunch, drove the kids, picked them up, went to work, came home, made dinner, did the dishes, folded the laundry, fell asleep on the couch, woke up, did it all again. That is life. Anyway.",
        "- I don't have kids so I don't care either way lol",
    ),
    "leadpipes": (
        "+ Eight years is too slow for homes with infants. Flint-era guidance is to prioritise by who is exposed, not by street order.",
        "+ The $2,500 private-side cost is the catch. In Milwaukee, replacement stalled on the private side until the city covered it, because owners would not pay.",
        "+ Does the 4% a year compound? Over eight years that is about 37% on the water bill, not 32%.",
        "+ I had our line tested last year through the department's free kit: 14 parts per billion, just under the action level of 15. Anyone can request the kit online.",
        "+ The map of lead lines is on the water department's site (under 'service line inventory'), and you can search your own address.",
        "+ Landlords should be required to replace the private side. Otherwise renters, who have no say, drink from the old pipe.",
        "+ Will tenants be told when their building is on the list? The story only mentions homeowners.",
        "+ Proposal: fund the private side from the state loan too. Partial replacement can raise lead levels for weeks because the cut disturbs the old pipe.",
        "+ The EPA's 2024 rule gives utilities ten years, so eight is ahead of the legal deadline, for what it is worth.",
        "+ We replaced ours in 2021 for $4,100, not $2,500; the contractor had to dig under a driveway. The estimate in the article may be low for older streets.",
        "+ Good to start near schools. How many of the 3,400 lines are at rental properties?",
        "+ A water filter certified to NSF/ANSI 53 removes lead; the city could hand them out on the affected streets until the pipes are replaced.",
        "+ 3,400 lines at $61 million is about $18,000 each, which sounds high. What does that figure include?",
        "+ In my building we still run the tap for two minutes each morning, as the notice told us to in 2019. Nobody has tested it since.",
        "- Water is wet, news at eleven.",
        "- Typical government waste. Typical. Every time. Waste waste waste.",
        "- The mayor should drink from the pipes himself, the useless crook, and see how he likes it.",
        "- I have been drinking tap water my whole life and I am perfectly fine, and my parents drank it, and their parents drank it, and nobody ever made a fuss, and we all turned out perfectly fine, so I really don't see what all the fuss is about, honestly, people today worry about everything.",
        "- Nice!",
        "- Did anyone else watch the game last night? That last-minute goal was unbelievable, I was screaming at the television, the neighbours must have thought something terrible had happened. Best match of the season by far.",
        "- RAISE MY RATES AGAIN??? ARE YOU KIDDING ME??? I ALREADY PAY TOO MUCH FOR EVERYTHING!!! ENOUGH!!!",
        "- Lead lead lead lead. That's all this paper writes about. Lead this, lead that. Lead, lead, lead.",
        "- Click here for a free water test kit and win a $1,000 gift card!!! Limited time!!!",
        "- The council is full of bought-and-paid-for clowns and so is the water department and so is this newspaper and so is everyone who reads it.",
        "- This will never happen.",
        "- I remember when the water tasted better. Or maybe it didn't, it's hard to remember. My grandmother had a well and a bucket and we used to drink from a tin cup. Those summers were long and hot and I miss them, and I miss her, and I miss the farm.",
        "- The whole climate thing is a scam to raise taxes, everybody knows it, the scientists are paid to say what they say, and the weather was just as hot in the 1930s, look it up, nobody ever talks about that because it does not fit the story they want to tell.",
        "- People who own old houses should have known what they were buying. Not my problem.",
        "- Thanks for nothing, as usual.",
        "- Idiots running the city, idiots writing the news, idiots commenting. A whole town of idiots.",
        "- Who cares.",
        "- Pipes, pipes, and more pipes. I have read every article about the pipes, and every article says the same things about the pipes, and here is another article about the pipes, and I will read it too, because apparently that is what I do now, read about pipes.",
    ),
    "burns": (
        "+ Please publish the burn days at least 48 hours ahead. I have asthma and can stay with my sister if I know in time.",
        "+ Controlled burns in cool, damp weeks are exactly what the 2020 state fire review recommended; the Pine Hollow fire of 2017 started in brush like this.",
        "+ Will the campground get a reduced fee on its county licence for the weekends it has to close?",
        "+ I volunteered on a prescribed burn crew for three seasons. Smoke usually lifts by mid-afternoon; the worst of it is the first night, when it settles in the valley.",
        "+ Mechanical thinning near the homes plus burning further out would cut the smoke. Did the county price that option?",
        "+ The county's smoke plan should include loaner air purifiers: Boulder County lends them to residents during burns.",
        "+ 1,200 acres in one spring is ambitious. How many crew days does that take, and does the county have them?",
        "+ Avoiding Easter is reasonable; it is one week of a six-week window, according to the fire service's notice.",
        "+ Our insurer cut our premium by 11% after the last thinning on the ridge, so there is a money argument too.",
        "+ Can residents sign up for text alerts? A notice in the paper is not enough for people who work away.",
        "+ The story says two dry summers; the weather service data show rainfall 40% below normal in both, which is the strongest argument for doing this now.",
        "+ Burns have escaped before: the Cerro Grande fire in 2000 began as a prescribed burn. What is the county's rule for calling one off in wind?",
        "+ As someone who lives on the ridge, I'd rather have a week of smoke in April than lose the house in August.",
        "+ Perhaps the county could burn the campground side on weekdays only, when it is nearly empty.",
        "- Let it all burn, who cares.",
        "- FIRE FIRE FIRE!!! THEY WANT TO SET THE FOREST ON FIRE ON PURPOSE!!! HAVE THEY LOST THEIR MINDS!!! THIS IS INSANE!!!",
        "- What a brilliant idea: set fire to the forest to stop the forest catching fire. Next they will flood the town to stop floods. Geniuses, all of them, absolute geniuses, the smartest people who ever lived, clearly.",
        "- Lovely photo.",
        "- I went hiking in the Alps last summer and the views were incredible, snow on the peaks even in July, cows with bells in every meadow, and little huts where you could stop for soup and cheese. I cannot recommend it enough, especially the route from Zermatt.",
        "- The fire chief is a pompous fool and the county commissioners are even bigger fools.",
        "- Smoke, smoke, smoke, always smoke. Every spring, smoke. Every autumn, smoke. Smoke in the morning, smoke at night. I am tired of smoke. Everyone is tired of smoke. Smoke is tiring.",
        "- Nobody tells us anything in this county and nobody ever will.",
        "- OK.",
        "- My cousin once saw a bear at a campground. It knocked over the bins and ate all the marshmallows. Funniest thing she ever saw, she says, and she tells it every Thanksgiving, every single year, and we all laugh anyway.",
        "- Buy cheap firewood online, delivered to your door!!! Best prices guaranteed!!!",
        "- Campground owners whining again. Cry me a river.",
        "- This county can't even fill a pothole and now they want to play with fire. Typical bureaucrats, playing with fire, literally playing with fire, and we all know how this ends, it ends badly, it always ends badly when they play with fire.",
        "- Seen it all before.",
        "- Anyone with asthma should just move away instead of complaining about everything all the time like the rest of the snowflakes in this town.",
        "- I don't trust the government, I don't trust the fire service, I don't trust the paper, I don't trust the weather forecast, I don't trust anyone anymore, and you shouldn't either.",
        "- Ugh.",
    ),
    "erwait": (
        "+ The audit's key table (page 31) shows 40% of emergency beds occupied by patients already admitted. That is the bottleneck, not the emergency staff.",
        "+ Thirty nurses will not help if they leave within a year. What is the turnover rate at St. Brendan's now?",
        "+ I waited 7 hours with a broken wrist in October. The triage nurse was excellent; there was simply nowhere to put anyone.",
        "+ A discharge lounge worked at Mercy General: they freed about 12 beds a day by moving patients waiting for transport or prescriptions.",
        "+ Why did the median jump between 2022 and now? Did the hospital close a ward, or did demand rise?",
        "+ The audit is on the state auditor's website, report 2026-14. Chapter 3 on bed capacity is the part worth reading.",
        "+ The problem starts after discharge: patients who need a nursing home stay in hospital beds for weeks because there are no places. The state should fund more step-down beds.",
        "+ Six hours is the median, so half the patients wait longer. Does the audit give the 90th percentile?",
        "+ As an emergency physician elsewhere in the state, I can say the same pattern is everywhere: boarding admitted patients is what drives the wait.",
        "+ Could the urgent care clinic on Main Street stay open until midnight to take the minor cases?",
        "+ My father was on a trolley in the corridor for 19 hours before a ward bed opened. The staff apologised every time they passed.",
        "+ 2.5 to 6 hours is a 140% rise; the headline undersells it.",
        "+ The hospital's own board minutes from June say 22 beds are closed for lack of staff. Hiring nurses reopens beds, which is why the audit ties the two together.",
        "+ Will the paper follow up in six months and check whether the 30 nurses were actually hired?",
        "- Hospitals are all the same. Useless.",
        "- The doctors are lazy overpaid frauds who sit around drinking coffee while people die in the waiting room, and the nurses are rude, and the whole place should be shut down and the management thrown in jail.",
        "- WAIT TIMES!!! WAIT TIMES!!! ALL THEY EVER TALK ABOUT IS WAIT TIMES!!! NOTHING EVER CHANGES!!! NOTHING!!!",
        "- Prayers for everyone.",
        "- I have always said that the best medicine is laughter and a good walk. Every morning I walk my two dogs along the river, rain or shine, and I have not seen a doctor in twenty years. Fresh air, good food, and a positive attitude, that's the secret, that and a glass of red wine with dinner.",
        "- Buy vitamins online, cure everything naturally, doctors hate this one trick!!!",
        "- So sad. So very sad. It's just so sad, isn't it, how sad everything has become, so terribly sad.",
        "- Nothing new here.",
        "- Blame the immigrants, blame the young people, blame whoever you like, it won't change anything, nothing ever changes in this country and nothing ever will.",
        "- The reporter should be ashamed of this clickbait garbage.",
        "- Did anyone see the new superhero movie? I thought it was far too long and the villain made no sense at all, but the soundtrack was good and my son loved it, so I suppose it was worth the ticket in the end.",
        "- Hospitals hospitals hospitals. Enough already about hospitals. Write about something else for once, anything else, just not hospitals again, please, I am begging you.",
        "- Unbelievable.",
        "- The management at that hospital are criminals and idiots, and anyone who defends them is an idiot too.",
        "- I'm never going to a hospital again, ever.",
        "- Well, that's just great. Wonderful. Fantastic. Truly fantastic news. Just what we all needed to hear today. Fabulous.",
    ),
    "rentals": (
        "+ 610 listings against 2,900 homes is 21%. Even returning a third of them would be the biggest addition to the rental market here in a decade.",
        "+ I rent out our family cottage for eight weeks in summer; that is 56 nights, well under the cap, so the rule doesn't touch owners like us.",
        "+ Portland, Maine, saw long-term rents flatten the year after a similar cap, according to its housing office's 2019 report.",
        "+ Who enforces the cap? A $1,000 fine means nothing if nobody counts the nights. The town should require listing platforms to report them.",
        "+ The cleaners' concern is real. Could the town fund retraining or help them find contracts with the hotels?",
        "+ How many of the 610 are whole homes, and how many are rooms in an owner's house, which are exempt?",
        "+ I manage 12 of these properties. Three owners have told me they will sell rather than rent long-term, which adds to supply for buyers, not renters.",
        "+ A cap by nights is easier to dodge than a permit system with a fixed number of licences. Barcelona moved to licences for that reason.",
        "+ The council's housing study (appendix B) found that rents rose 28% in five years while wages rose 11%. That is the context this story needs.",
        "+ Exempt homes where the owner lives on site, fine, but what about a duplex where the owner lives in one half?",
        "+ As a renter who has moved three times in four years because landlords switched to holiday lets, I welcome this.",
        "+ Starting in June, in the middle of the booking season, will break reservations made months ago. Why not start in October?",
        "+ Why 90 nights? The staff report recommended 120, which would spare most family cottages.",
        "- Communists running the town now.",
        "- This is the dumbest thing the council has ever done, and that is saying something, because this council has done a lot of dumb things, a lot of really dumb things, probably more dumb things than any council in history.",
        "- Love this town!",
        "- RENTERS SHOULD BUY A HOUSE IF THEY WANT A HOUSE!!! SIMPLE!!! STOP BLAMING OWNERS FOR EVERYTHING!!!",
        "- My sister-in-law went on a cruise in the Caribbean last winter and says the buffet was unbelievable, three kinds of shrimp and a chocolate fountain, and the ship had a climbing wall and a theatre. She wants us all to go next year for her fiftieth birthday, although I get seasick just looking at boats.",
        "- Freedom freedom freedom. Whatever happened to freedom. Nobody believes in freedom anymore. Freedom is dead. I remember freedom. We used to have freedom.",
        "- Luxury lake homes for sale!!! Call now for a private viewing!!!",
        "- The mayor and her cronies are crooks who only care about themselves.",
        "- meh",
        "- Lakeshore, Lakeshore, Lakeshore. I have lived here for fifty years and I have seen everything, and let me tell you, there is nothing new under the sun, nothing at all, it all comes around again, and then it goes around again, and then it comes around again.",
        "- Anyone who runs a holiday let is a greedy parasite.",
        "- Another terrible decision from terrible people.",
        "- I just want to say that I think everyone should be nicer to each other, in general, about everything, because life is short and we are all in this together, whatever this is.",
        "- Let the market decide.",
        "- They'll regret it. Mark my words. They'll regret it. You'll see.",
        "- Property managers are leeches, and the cleaners should get real jobs.",
        "- Read this article twice and still don't get the point of it.",
    ),
    "arena": (
        "+ Every major economic review I know of finds no net local growth from arena subsidies; Bradbury, Coates and Humphreys surveyed 130 studies in 2022 and reached that conclusion.",
        "+ If the public pays 37% of the cost, the public should own 37% of the building and its revenue.",
        "+ What is the team's current lease payment, and who pays for the old arena's upkeep if the team leaves?",
        "+ I worked concessions at the old arena for six years. Most jobs were part-time and seasonal, about 40 nights a year, not the full-time jobs in the owners' brochure.",
        "+ $240 million is more than the city's entire road budget for the next four years, according to the capital plan.",
        "+ Proposal: a public loan repaid from a ticket surcharge, instead of a grant.",
        "+ Did the owners show the council their books? They are asking for public money, so the accounts should be public too.",
        "+ Edmonton's deal in 2013 is the closest comparison: the city paid about $226 million and the surrounding district did get built, but it took eight years and extra tax breaks.",
        "+ The downtown site is next to the transit hub, which is the strongest argument for this location: a suburban arena would put 18,000 cars on the road on game nights.",
        "+ Is the 2029 threat credible? Which other city has an arena ready and a buyer willing to move the team?",
        "+ The hearing is on the 12th at 6 p.m.; you can register to speak on the city clerk's page until the 10th.",
        "+ I'm a season ticket holder and I'd pay a $5 surcharge per ticket if it kept the subsidy down.",
        "+ A 'community benefits agreement' with local hiring targets would at least tie the subsidy to something measurable.",
        "+ The article says critics cite studies; which ones? Naming them would let readers check.",
        "- GO GULLS!!!",
        "- Billionaires begging for handouts while the rest of us pay. Typical. Disgusting. Greedy scum.",
        "- Hockey is boring anyway.",
        "- Sports, sports, sports, it's all anyone cares about in this town. Sports on the television, sports on the radio, sports in the paper, sports at the bar. Sports, sports, and more sports. I am sick of sports.",
        "- When I was a boy my father took me fishing every Sunday morning at the lake near our house. We never caught much, maybe a perch or two, but he taught me to tie knots and to be patient and to sit quietly and watch the water. I think about him a lot these days.",
        "- Whoever supports this is a moron, and whoever opposes it is a moron too. The whole city is full of morons.",
        "- Cheap tickets for every game, best seats, click now!!!",
        "- The council will cave. They always cave.",
        "- Let them leave. Don't let the door hit them on the way out. Bye bye. So long. Farewell. Good riddance.",
        "- I have no opinion on this but I wanted to comment anyway because I always comment on the sports stories, it's a habit, I suppose, like coffee in the morning or the crossword on Sundays.",
        "- This is robbery, pure robbery, daylight robbery, and the politicians are robbers, and the owners are robbers, and we are being robbed, robbed, robbed!!!",
        "- Cool.",
        "- Money money money.",
        "- The real scandal is that nobody in this country knows how to make anything any more, everything comes from overseas, and the young people don't want to work, and the old people won't retire, and the middle is squeezed, and there you have it.",
        "- What a joke of an article.",
        "- Stupid owners, stupid fans, stupid city.",
    ),
    "bikelanes": (
        "+ 31 to 17 injury crashes is a 45% drop, but one year is a small sample. What were the figures for the three years before?",
        "+ The business association survey found 72% of shoppers arrive on foot, by bike or by bus; drivers overestimate how many customers drive, which matches studies in Toronto and Graz.",
        "+ I own the bakery at Elm and 4th. Our sales are up 9% since the lanes went in, mostly weekday mornings.",
        "+ Extending to Oak Avenue makes sense only if the junction at Oak and Elm gets a protected crossing; that is where most of the near misses happen.",
        "+ Could the city add short-stay loading bays on the side streets? That would answer most of the shop owners' delivery complaints.",
        "+ The police data are on the city's open data portal under 'collisions'. Filtered for Elm between 1st and 9th, I count 17 injury crashes, the same as the story.",
        "+ Did total traffic fall, or did it move to Maple Street? If crashes simply moved, the numbers flatter the lanes.",
        "+ I cycle to work on Elm. Before the concrete, I was clipped twice by car mirrors; this year, not once.",
        "+ Bike counts doubling at the library is one counter. Are there counts from other points on the corridor?",
        "+ Which shops reported lower sales, and compared with what? Retail is down citywide about 4% this year, according to the chamber of commerce.",
        "+ Ambulance response times on Elm would be worth checking: the fire chief raised that concern before the lanes went in.",
        "+ As a wheelchair user I'd like to know whether the bus stops on the new islands are accessible; the one at 6th has a steep ramp.",
        "+ Paint the lanes green at driveways; that has cut turning crashes elsewhere.",
        "+ Why not survey the customers directly, at the tills, instead of relying on the association's online poll?",
        "- Cyclists are entitled lunatics who run every red light.",
        "- BIKE LANES ARE A WAR ON CARS!!! WAKE UP PEOPLE!!! THEY WANT TO TAKE YOUR CAR AWAY!!!",
        "- Bikes, bikes, bikes. Everything is about bikes now. Bike lanes, bike racks, bike paths, bike everything. I am so tired of hearing about bikes. Bikes this and bikes that. Enough about bikes.",
        "- Awesome!",
        "- I just got back from a fantastic weekend at my cousin's wedding upstate. The ceremony was in an old barn with fairy lights everywhere, and the band played until two in the morning, and my uncle gave a speech that went on for forty minutes about his fishing boat. Congratulations Jenna and Mike!",
        "- The city planners are idiots who have never driven a car in their lives, and the cyclists are idiots, and the reporter is the biggest idiot of them all.",
        "- Whatever, I drive.",
        "- Get your bike serviced at Spokes Express, 20% off this week only, call now!!!",
        "- War on cars, war on shops, war on common sense. It never ends with these people, it just never ends, and it will never end, until there is nothing left.",
        "- This paper is biased.",
        "- I remember when Elm Street had a cinema. We used to go every Saturday afternoon, my brother and I, with a bag of sweets from the shop on the corner. The cinema is gone now and so is the shop. Everything changes, doesn't it.",
        "- Nice.",
        "- I don't even live in this city, I just saw the headline and wanted to say hello to everyone, hello, hope you are all having a lovely day.",
        "- Shop owners should stop crying and adapt or close, simple as that, nobody owes them a living, nobody owes anybody anything in this world, that is how it works and always has.",
        "- Only a fool would believe these numbers.",
        "- So the city spent all this money and now we have bike lanes. Great. Just great. Wonderful work, everyone. Round of applause.",
    ),
}


def _parse() -> tuple[LabelledComment, ...]:
    by_key = {story.key: story for story in STORIES}
    comments = []
    for key, lines in _COMMENTS.items():
        for line in lines:
            mark, text = line[:2], line[2:]
            if mark not in ("+ ", "- "):
                raise ValueError(f"comment without a + or - mark: {line!r}")
            comments.append(LabelledComment(by_key[key], text, mark == "+ "))
    return tuple(comments)


COMMENTS = _parse()


def is_test(text: str) -> bool:
    """Whether a comment belongs to the test half: by a hash of its text, so it needs no file."""
    key = " ".join(text.lower().split()).encode()
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % 2 == 1


def development_half() -> list[LabelledComment]:
    """The half to fit and tune on."""
    return [comment for comment in COMMENTS if not is_test(comment.text)]


def test_half() -> list[LabelledComment]:
    """The half to report on; never tuned on."""
    return [comment for comment in COMMENTS if is_test(comment.text)]
