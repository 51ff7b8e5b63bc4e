"""The relevance scorer's development set, written for this project (no permissively licensed
set of articles with their comments exists): 18 stories of one invented local paper, the
Harbourton Courier, with readers' comments and a few replies with their parents.

Some stories sit on near topics on purpose (two council votes, a flood and a sewage spill on the
same river, the men's and the women's football clubs, new homes and rents), so telling them
apart is not easy. Data only; `scoring/relevance_training.py` evaluates on it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DevStory:
    """One story: `text` is its paragraphs separated by blank lines; `replies` are
    (parent, reply) pairs, where the reply answers the parent and may drift from the story."""

    story_id: str
    title: str
    text: str
    comments: tuple[str, ...]
    replies: tuple[tuple[str, str], ...] = ()


STORIES = (
    DevStory(
        "council-budget",
        "Council tax to rise 4.9% as Harbourton sets its budget",
        "Harbourton council has approved a 4.9% rise in council tax, the largest allowed without "
        "a referendum, to close a £6.2m gap in next year's budget.\n\n"
        "Councillors voted 31 to 19 for the package, which also cuts opening hours at four "
        "branch libraries and ends free garden waste collection. The council leader said "
        "rising social care costs left no other choice.\n\n"
        "Opposition councillors called for the council's reserves to be used instead. A band D "
        "household will pay about £96 more a year from April.",
        (
            "Another £96 a year and they still can't empty the bins on time.",
            "Social care is eating every council budget in the country, this isn't just us.",
            "Why not use the reserves? That's what they're for.",
            "So we pay more and get shorter library hours. Brilliant.",
            "Charging for garden waste just means more fly tipping in the lanes.",
            "How much of the 6.2m is interest on that shopping centre they bought?",
            "I'm a pensioner on a fixed income. Something has to give and it's usually me.",
            "Would be good to see how each councillor voted.",
            "At least they didn't go for a referendum, that would have cost a fortune too.",
        ),
        (
            (
                "How much of the 6.2m is interest on that shopping centre they bought?",
                "About 1.4m a year according to the last accounts, it's on their website.",
            ),
            (
                "I'm a pensioner on a fixed income. Something has to give and it's usually me.",
                "Check if you qualify for the reduction scheme, my mum got 25% off.",
            ),
        ),
    ),
    DevStory(
        "town-parking",
        "Paid parking to return to High Street after council vote",
        "Drivers will pay to park on Harbourton High Street from June after the council's "
        "planning committee voted to bring back on-street charges scrapped in 2019.\n\n"
        "The first hour will cost £1.20, and the council expects the 140 bays to raise "
        "£180,000 a year. Traders said free parking had kept shoppers coming into town.\n\n"
        "Blue badge holders will still park for free, and the council will review the scheme "
        "after a year.",
        (
            "Great, another reason to drive to the retail park instead.",
            "The shops that are left will be gone by Christmas.",
            "£1.20 an hour is nothing compared to the city. People will moan and then pay.",
            "Free parking just meant the same five cars parked there all day.",
            "Will the machines take cards or is it that useless app again?",
            "They scrapped it in 2019 because it killed the high street. What changed?",
            "Good. Maybe the buses will get through now.",
            "Who's going to enforce it? I never see a warden.",
            "Just walk, it's a small town.",
        ),
        (
            (
                "Will the machines take cards or is it that useless app again?",
                "The app worked fine for me in Norwich, you just need signal.",
            ),
        ),
    ),
    DevStory(
        "school-closures",
        "Two primary schools to close as pupil numbers fall",
        "St Anne's and Moorfield primary schools will close next summer and their pupils will "
        "move to an enlarged Westgate Primary, the county's education committee has decided.\n\n"
        "Both schools are less than two-thirds full after the town's birth rate fell by a "
        "fifth in ten years. Parents had gathered 2,300 signatures against the plan.\n\n"
        "The county says no child will have to walk more than two miles and that free "
        "transport will be offered where needed.",
        (
            "My kids loved St Anne's. Small classes, teachers who know every child's name.",
            "Two miles is a long way for a five year old in January.",
            "Westgate is already bursting, where are they putting everyone?",
            "2,300 signatures and they did it anyway. Why do they even ask.",
            "Empty places cost money, I get it, but the kids will pay for this.",
            "What happens to the Moorfield building? Flats, I bet.",
            "Nobody can afford to have children here any more, no wonder the numbers fell.",
            "Will the teachers keep their jobs?",
            "I went to Moorfield in the seventies. Sad day.",
        ),
        (
            (
                "What happens to the Moorfield building? Flats, I bet.",
                "There's a covenant on the field, it has to stay open space.",
            ),
            (
                "Two miles is a long way for a five year old in January.",
                "I walked further than that at her age, it never hurt anyone.",
            ),
        ),
    ),
    DevStory(
        "river-flood",
        "River Wend bursts its banks: 60 homes evacuated in Riverside",
        "Sixty homes on Riverside and Mill Lane were evacuated overnight after the River Wend "
        "burst its banks following two days of heavy rain.\n\n"
        "Firefighters used boats to reach residents, and a rest centre opened at the leisure "
        "centre. The river peaked at 3.4 metres, just below the 2007 record.\n\n"
        "The Environment Agency said the flood defences promised in 2015 had not been built "
        "because of rising costs. The Riverside Road bridge remains closed.",
        (
            "Thank you to the firefighters, they were out all night.",
            "Promised in 2015. Still nothing. Same every winter.",
            "Anyone know if the bridge will open for the school run?",
            "My sister's house flooded again, third time. Insurance won't touch them now.",
            "They keep building on the flood plain and then act surprised.",
            "The leisure centre staff were amazing, tea and blankets for everyone.",
            "Is the water safe to drink?",
            "Cut back the dredging and this is what you get.",
            "Stay safe everyone on Mill Lane.",
        ),
        (
            (
                "Anyone know if the bridge will open for the school run?",
                "It was still shut at 7, we had to go round by the bypass.",
            ),
            (
                "Cut back the dredging and this is what you get.",
                "Dredging doesn't stop floods, it just moves the water to the next town.",
            ),
        ),
    ),
    DevStory(
        "sewage-spill",
        "Water company pumped sewage into the Wend for 900 hours last year",
        "Untreated sewage was released into the River Wend for more than 900 hours last year, "
        "figures published by Anglian Water show, most of it from the overflow at Harbourton "
        "treatment works.\n\n"
        "Wild swimmers who use the river at Kings Meadow have asked for it to become an "
        "official bathing water, which would force regular testing.\n\n"
        "The company said it was investing £20m in the works and that overflows were legal "
        "during heavy rain.",
        (
            "Legal during heavy rain. It rains here nine months of the year.",
            "I swam at Kings Meadow all summer and got ill twice. Now I know why.",
            "Record profits and dividends, and they still can't treat the sewage.",
            "Bathing water status would at least mean testing. Support this.",
            "My dog won't go near the water any more and I don't blame him.",
            "Renationalise it.",
            "£20m is a rounding error for them.",
            "Where can we see the data for our stretch?",
            "The fish are gone from the weir, they used to be everywhere.",
        ),
        (
            (
                "Renationalise it.",
                "And who pays the billions to buy it back? We do, through our taxes.",
            ),
        ),
    ),
    DevStory(
        "town-fc-manager",
        "Harbourton Town sack manager after sixth straight defeat",
        "Harbourton Town have sacked manager Gary Pike after a 3-0 home defeat to Kingsbridge "
        "left the club second from bottom of the National League North.\n\n"
        "Pike took over eighteen months ago and led the team to the FA Trophy quarter-finals "
        "last season. Assistant Lee Marsh will take charge for Saturday's trip to Alfreton.\n\n"
        "The chairman thanked Pike and said the club's aim was still to stay up.",
        (
            "Should have gone after the Chorley game. Too late now.",
            "Not his fault the board sold our two best players in August.",
            "Lee Marsh knows the dressing room, give him a proper chance.",
            "Season ticket holder for twenty years, never seen defending this bad.",
            "Who's next then? Please not another ex-pro with no coaching badges.",
            "Pike gave us the best cup run in decades, show some respect.",
            "Alfreton away, we'll be lucky to get a point.",
            "Relegation was always coming with this squad.",
            "Up the Harbour!",
        ),
        (
            (
                "Who's next then? Please not another ex-pro with no coaching badges.",
                "Rumour is the Boston coach, he did well on no money.",
            ),
        ),
    ),
    DevStory(
        "womens-cup-final",
        "Harbourton Women reach County Cup final for the first time",
        "Harbourton Town Women will play in the County Cup final for the first time after a "
        "2-1 win over Lowestead, with a late header from captain Jess Doyle.\n\n"
        "The team, formed only six years ago, train on a council pitch without floodlights and "
        "raise money through bake sales.\n\n"
        "The final will be played at the Harbour Ground on 14 May, and the club hopes for a "
        "crowd of a thousand.",
        (
            "What a header from Jess! Brilliant win.",
            "Bake sales to fund a cup finalist. The men's side should be ashamed.",
            "Taking my daughters on the 14th, they'll love it.",
            "Get them some floodlights, council!",
            "More entertaining than the men's team this season, by a mile.",
            "Is it free entry for the final?",
            "Six years from nothing to a final. Well done to everyone involved.",
            "Lowestead were robbed, that header was offside.",
            "A thousand is easy, let's fill the ground.",
        ),
        (
            (
                "Is it free entry for the final?",
                "£3 adults, kids free, it said on their Facebook page.",
            ),
        ),
    ),
    DevStory(
        "burglary-sentence",
        "Man jailed for stealing e-bikes from garden sheds",
        "A 34-year-old man has been jailed for three years for a string of shed burglaries in "
        "Harbourton in which 22 electric bikes were stolen.\n\n"
        "Daniel Hurst, of no fixed address, admitted the thefts at Norwich Crown Court. Police "
        "found several bikes for sale online after a victim spotted his own.\n\n"
        "The judge said the thefts had caused fear across the Oakfield estate. Police advise "
        "owners to lock bikes to a ground anchor.",
        (
            "Three years, he'll be out in eighteen months.",
            "Good on the victim for spotting his bike online, the police wouldn't have bothered.",
            "Ours went in March. Never got it back.",
            "Ground anchors are useless if they take the whole shed door off.",
            "No fixed address. Maybe help people before they end up like this.",
            "22 bikes and only three years? Madness.",
            "Get a decent D lock and an alarm, learnt that the hard way.",
            "Oakfield has been a nightmare for this for two years.",
            "Who's buying them though? They're as bad.",
        ),
        (
            (
                "Three years, he'll be out in eighteen months.",
                "That's how sentencing works everywhere, automatic release at half.",
            ),
        ),
    ),
    DevStory(
        "restaurant-opening",
        "Sri Lankan restaurant opens in old bank on Market Square",
        "The former Lloyds bank on Market Square has reopened as Ceylon Kitchen, a Sri Lankan "
        "restaurant run by the Fernando family, who have had a food stall at the Saturday "
        "market for eight years.\n\n"
        "The restaurant seats 60 and serves hoppers, kottu roti and a different curry every "
        "day. The old vault has been turned into a private dining room.\n\n"
        "Owner Ruwan Fernando said the town had welcomed the family and he wanted to give "
        "something back.",
        (
            "Their market stall does the best dal I've ever had. So happy for them.",
            "Dinner in the vault sounds amazing, booking for my birthday.",
            "Went on Friday. The hoppers are worth the trip alone.",
            "Nice to see that building used instead of boarded up.",
            "Is there parking nearby?",
            "Do they do vegan options?",
            "Another restaurant, when what we need is a bank.",
            "Good luck to them, hope it lasts longer than the last three places on the square.",
            "Bit pricey for a Tuesday but lovely food.",
        ),
        (
            (
                "Another restaurant, when what we need is a bank.",
                "Nobody uses bank branches any more, that's why it closed.",
            ),
        ),
    ),
    DevStory(
        "bus-fares",
        "Bus fares rise to £2.80 and route 12 is withdrawn",
        "Single bus fares in Harbourton will rise from £2 to £2.80 on Monday as the national "
        "fare cap ends, First Eastern has announced.\n\n"
        "Route 12, which links the Oakfield estate to the hospital, will be withdrawn because "
        "of low use. Evening services on route 3 will stop at 7pm.\n\n"
        "The county council said it could not afford to subsidise the routes.",
        (
            "So how are Oakfield people supposed to get to their hospital appointments now?",
            "£2.80 to go two miles. I'll walk.",
            "Low use because it never turns up on time.",
            "Stopping at 7pm means anyone on a late shift is stuck.",
            "Taxi it is then, another £12.",
            "My nan relies on the 12 every week. Disgraceful.",
            "Cheaper to drive and park, which says it all.",
            "Is the weekly ticket going up too?",
            "Private companies running public services, what did we expect.",
        ),
        (
            (
                "Is the weekly ticket going up too?",
                "Yes, 14 pounds from Monday, I asked the driver this morning.",
            ),
            (
                "Cheaper to drive and park, which says it all.",
                "Only if you've got a car. Plenty of us don't.",
            ),
        ),
    ),
    DevStory(
        "hospital-maternity",
        "Harbourton General maternity unit to be downgraded",
        "The consultant-led maternity unit at Harbourton General will become a midwife-led "
        "unit in September, the hospital trust has confirmed, after it failed to recruit "
        "enough obstetricians.\n\n"
        "Women with higher-risk pregnancies will give birth in Norwich, 38 miles away. About "
        "1,400 babies are born at Harbourton each year.\n\n"
        "The trust said safety came first and that the change was temporary.",
        (
            "38 miles in labour. Someone is going to give birth in a lay-by.",
            "Temporary. Like the A&E closure that's been temporary for six years.",
            "The midwives there were wonderful with both my children.",
            "If they can't recruit, ask why. Nobody wants to live somewhere with no services.",
            "Safety first is right. I'd rather travel than risk it.",
            "My son was born there in an emergency. He wouldn't have made it to Norwich.",
            "Is there a consultation or has it already been decided?",
            "What about the ambulance waiting times to get there?",
            "Thank you to all the staff, this isn't their fault.",
        ),
        (
            (
                "38 miles in labour. Someone is going to give birth in a lay-by.",
                "My wife nearly did on the A47 when ours was born, that was in 2011.",
            ),
        ),
    ),
    DevStory(
        "by-election",
        "Northgate by-election: five candidates for the empty council seat",
        "Five candidates are standing in the Northgate ward by-election on 3 April, called "
        "after Labour councillor Mary Quinn stepped down for health reasons.\n\n"
        "The Greens, who came second last time by 41 votes, hope to take the seat. The Reform "
        "candidate is a local publican, and an independent is campaigning to reopen the "
        "Northgate swimming pool.\n\n"
        "Polls are open from 7am to 10pm at St Mark's church hall and Northgate school.",
        (
            "Voting for the pool guy, it's the only promise anyone will keep.",
            "41 votes. Every vote really does count in Northgate.",
            "Best wishes to Mary, she was a good councillor.",
            "Do I need photo ID?",
            "Haven't had a single leaflet through the door.",
            "None of them will change anything.",
            "A publican as a councillor, at least he'd know how to run a budget.",
            "Where can we read what each candidate stands for?",
            "Turnout will be about 20% as usual.",
        ),
        (
            (
                "Do I need photo ID?",
                "Yes, a bus pass or driving licence is fine.",
            ),
        ),
    ),
    DevStory(
        "heath-fire",
        "Fire on Carrow Common destroys 40 hectares of heath",
        "A fire on Carrow Common burned 40 hectares of heathland on Sunday and took fourteen "
        "crews more than ten hours to bring under control.\n\n"
        "Residents of Heath Close were told to keep windows shut because of the smoke. Fire "
        "investigators believe a disposable barbecue started it.\n\n"
        "The common is home to nightjars and adders, and wardens fear the nesting season has "
        "been lost.",
        (
            "Ban disposable barbecues. How many more of these before someone acts?",
            "The smoke was unbelievable, ash on the cars in Heath Close.",
            "Heartbreaking for the nightjars, they'd just started coming back.",
            "Well done to the crews in that heat.",
            "Hasn't rained properly in five weeks, it was a tinderbox.",
            "People leave their rubbish everywhere up there, no surprise.",
            "Will the footpaths be closed for long?",
            "Fine whoever did it and make them pay for the crews.",
            "The heather does grow back, give it a few years.",
        ),
        (
            (
                "Ban disposable barbecues. How many more of these before someone acts?",
                "Aldi near us stopped selling them last year, so it can be done.",
            ),
        ),
    ),
    DevStory(
        "millfield-homes",
        "600 homes approved on Millfield Farm despite objections",
        "Plans for 600 homes on Millfield Farm, on the town's northern edge, have been approved "
        "on appeal by a government planning inspector.\n\n"
        "The council had refused the scheme because of traffic on the B1108 and the lack of "
        "school and GP places. More than 900 residents objected.\n\n"
        "The developer, Hartwell Homes, says a third of the houses will be affordable and it "
        "will pay £4m towards a new primary school.",
        (
            "Where is everyone going to see a doctor? Can't get an appointment now.",
            "Affordable means 80% of market price. Still not affordable.",
            "The B1108 is gridlocked at 8am already.",
            "My kids will never afford a house here, so yes, build them.",
            "Overruled by an inspector who has never been to Harbourton.",
            "Lovely walk across those fields, won't be for much longer.",
            "£4m for a school, how far does that go these days?",
            "Same story in every town, the builders always win on appeal.",
            "Hope they put the bus stop in before the houses this time.",
        ),
        (
            (
                "Where is everyone going to see a doctor? Can't get an appointment now.",
                "Ring at 8 on the dot, that's the only way I ever get one.",
            ),
        ),
    ),
    DevStory(
        "rents-rise",
        "Harbourton rents up 12% in a year as landlords leave",
        "Average private rents in Harbourton have risen 12% in a year to £1,050 a month for a "
        "two-bedroom home, according to a lettings agency survey.\n\n"
        "Agents say many small landlords are selling up because of higher mortgage rates, so "
        "each home that comes up draws dozens of applicants.\n\n"
        "A tenants' group is asking the council to license all rented homes so that poor "
        "conditions can be dealt with.",
        (
            "We viewed a flat with 30 other people. Offered over the asking rent, still lost it.",
            "Half my wages go on rent and the boiler's been broken since October.",
            "Landlords aren't charities, mortgages have doubled.",
            "Licensing just means the costs get passed on to tenants.",
            "When I was young a council flat was normal. Bring them back.",
            "My landlord sold up and we've got two months to find somewhere.",
            "£1,050 for a two bed here? In this town? Wow.",
            "Rent caps work in other countries.",
            "We're leaving for Lincolnshire, can't do it any more.",
        ),
        (
            (
                "Landlords aren't charities, mortgages have doubled.",
                "Nobody said they were. But renting out a damp flat isn't a business model either.",
            ),
        ),
    ),
    DevStory(
        "museum-reopens",
        "Harbourton Museum reopens with Viking hoard on display",
        "Harbourton Museum has reopened after a two-year, £3.5m restoration, with the "
        "Wendmouth Hoard, 300 Viking silver coins found by a metal detectorist in 2019, on "
        "show for the first time.\n\n"
        "The Victorian building has a new lift, a café and a hands-on gallery for children. "
        "Entry remains free.\n\n"
        "Curator Helen Ashby said she hoped the hoard would bring visitors from across the "
        "region.",
        (
            "Took the grandchildren on Saturday, they loved the dressing-up corner.",
            "300 coins found by one bloke with a detector. I need to get out more.",
            "Free entry is brilliant, keep it that way.",
            "£3.5m on a museum while the libraries lose hours.",
            "Finally a lift, my mum couldn't get upstairs for years.",
            "The hoard is stunning, much bigger than I expected.",
            "Did the detectorist get paid for it?",
            "The café does a decent scone.",
            "Is it open on Mondays?",
        ),
        (
            (
                "Did the detectorist get paid for it?",
                "Finder and landowner split the valuation, that's the Treasure Act.",
            ),
        ),
    ),
    DevStory(
        "cycle-lane",
        "London Road cycle lane to be ripped out after eight months",
        "The cycle lane on London Road will be removed next month, eight months after it "
        "opened, after the county council received more than 1,000 complaints about "
        "queues.\n\n"
        "The £450,000 lane was paid for by a government active travel grant, which the county "
        "may have to repay.\n\n"
        "Cycling groups said use had doubled since it opened and that removing it would put "
        "children riding to school at risk.",
        (
            "£450k to build and more to take out. You couldn't make it up.",
            "I cycle it every day with my son. Now we'll be back in the traffic.",
            "Never seen more than three bikes on it.",
            "The queues were ridiculous, 20 minutes to get into town.",
            "Design it properly next time and people will use it.",
            "Will they have to pay the grant back? Typical.",
            "Motorists complain, motorists win.",
            "The bollards were a hazard, I hit one in the dark.",
            "Good riddance.",
        ),
        (
            (
                "Never seen more than three bikes on it.",
                "Because you drive past at 10am. Go at 8.15 and count.",
            ),
        ),
    ),
    DevStory(
        "festival-cancelled",
        "Harbourton Summer Festival cancelled after 40 years",
        "The Harbourton Summer Festival will not take place this year after organisers said "
        "rising costs for security, stewards and insurance had made it unaffordable.\n\n"
        "The free weekend of music, food stalls and the raft race on the harbour drew 15,000 "
        "people last year. The volunteer committee needs £60,000 to run it.\n\n"
        "Organisers hope to return next year and are looking for sponsors.",
        (
            "The raft race was the best day of the year when I was a kid.",
            "Charge £5 a head and you'd cover it easily.",
            "Insurance companies ruin everything.",
            "Can't the council step in? They found money for the museum.",
            "Such a shame for the volunteers who've done it for decades.",
            "The bands were getting worse anyway.",
            "Happy to chip in if they set up a crowdfunder.",
            "What about the local businesses who relied on that weekend?",
            "Forty years, and it ends like this.",
        ),
        (
            (
                "Charge £5 a head and you'd cover it easily.",
                "Then you need fences and gates and that costs more than the tickets bring in.",
            ),
        ),
    ),
)
