"""News-site comments written for this project to test the spam model on the kind of site it
serves: spam as it turns up under news stories, and ordinary comments, some of them citing a
source link or a number. Never trained on (`spam_training.news_metrics` only scores them).
All invented; any resemblance of a site name to a real one is an accident of plausibility.
"""

from __future__ import annotations

SPAM = (
    # Product pitches
    "Great article! By the way I lost 14 kg in 6 weeks with KetoSlim, order yours at "
    "ketoslim-official.shop before the offer ends.",
    "Tired of high energy bills? Our solar panels pay for themselves. Get a free quote today "
    "at sunsavers-direct.com",
    "Anyone reading this, try the new SmartGrow hair serum, it changed my life. 50% discount "
    "with code NEWS50 at smartgrow.store",
    "Cheap Ray-Ban sunglasses only $19.99!!! Best price online, visit raybanoutlet-sale.net",
    "Looking for a reliable plumber in Springfield? Call 555-301-8822 for same day service, "
    "no call out fee.",
    "Best CBD gummies on the market, lab tested, free shipping worldwide: www.purecbdpro.co",
    "Don't pay full price for car insurance! Compare quotes in 2 minutes at "
    "cheapcover-compare.com and save up to $500.",
    "Nice story. Also, if you need custom essays written fast, visit my site "
    "essaywriters-pro.net, 24/7 support.",
    "Replica watches top quality, Rolex Omega Cartier, worldwide delivery, order now at "
    "luxwatchreplica.shop",
    "Get 10,000 real Instagram followers for just $9. Check out my page instaboost-fast.com",
    "The best VPN deal of the year is live, 85% off, click here: bit.ly/vpn-deal-85",
    "New miracle supplement melts belly fat while you sleep, doctors hate it. Read more at "
    "fatburnsecret.info",
    # Crypto
    "I made $42,000 last month trading bitcoin with Mr. James Carter, his strategy is "
    "guaranteed. Contact him on WhatsApp +1 (415) 555-0199.",
    "Crypto is the future! Join our Telegram group t.me/cryptosignals_vip for free daily "
    "signals, 300% profits guaranteed.",
    "Thanks to Mrs. Linda Ross I recovered my lost bitcoin and doubled my investment. Email "
    "her at linda.recovery@protonmail.com",
    "Forget the stock market, the new MoonToken presale is live. Buy before it 100x: "
    "moontoken-presale.io",
    "Double your crypto in 24 hours, send any amount of ETH to our wallet and get 2x back. "
    "Limited offer at eth-giveaway.live",
    "Everyone complaining about inflation should be investing in bitcoin. DM me for my "
    "personal trading plan, I earn $3,000 per week.",
    "I was scammed by a fake broker but a recovery expert got all my funds back. Reach him on "
    "telegram @fundrecoveryhelp",
    "Binary options changed my life, I now earn $5000 weekly from a $500 investment. Text me "
    "on +44 7700 900123 to get started.",
    "Best forex signals provider on the internet, 95% win rate, join now at fxsignals-elite.com",
    "Crypto mining from your phone, no experience needed, earn free BTC every day: "
    "cloudmine-app.xyz",
    # Work from home
    "I'm making $95 an hour working from home with Google. I was shocked when my paycheck "
    "came. Go to this site for more info: www.homejobs247.com",
    "My neighbour's daughter earns $8,000 a month working online part time. Everybody can do "
    "this, just visit easycashjobs.net",
    "Start earning today! I work from home and make $300 per day with just a laptop. Details "
    "here: workathome-now.site",
    "Single mom makes $17,000 a month from home. Click the link to see how: bit.ly/momjobs17",
    "Work from home opportunity, no experience, flexible hours, $500 a day guaranteed. Message "
    "me for details.",
    "Quit your 9 to 5! I earn $250 a day filling in surveys online. Sign up free at "
    "paidsurveyhub.online",
    "Who wants an easy online job? Earn up to $12,000 monthly from home. Apply now on "
    "jobsfromhome.club",
    "Just got my 3rd payment of $4,500 for working 2 hours a day from home, copy this site: "
    "cash-daily.work",
    # Contact bait
    "Hi handsome, I'm lonely tonight, text me on 0712 345 678 and let's chat.",
    "Need a loan fast? Bad credit OK, approval in 10 minutes. Call now 1-800-555-0147.",
    "Powerful love spell caster, bring back your ex in 48 hours. Contact Dr. Okoye on WhatsApp "
    "+234 803 555 0123.",
    "Hello dear, I saw your comment and would like to be your friend. Email me at "
    "sweetangel2024@gmail.com",
    "Are you looking for a sugar daddy? Weekly allowance of $1,500. DM me on Instagram now.",
    "Congratulations! You have been selected for a $1,000 Walmart gift card. Claim it by "
    "texting WIN to 55123.",
    "Join the great brotherhood of Illuminati for wealth and fame. Call +1 (202) 555-0133 now!!!",
    "If you want to get rich contact the spiritual herbalist Baba Ali on whatsapp "
    "+2348035550188, he helped me.",
    "Hot singles in your area want to meet you tonight, message me for the link!",
    "Urgent: your account has a pending prize of $2,500. Call now on 0800 555 0190 to claim "
    "your reward.",
    # Link drops
    "http://bestdeals-now.biz",
    "Full story here >>> www.realnews-truth.info/exposed",
    "Watch the full leaked video here: bit.ly/3xLeak9",
    "Read this instead: https://breaking-exposed.xyz/article?id=88213 and "
    "https://freedomtruth.click/now",
    "Live stream of the game, free HD, no signup: www.sportstreamhd.live",
    "They don't want you to know this!!! truthuncovered.top",
    "download free movies and series at moviezone-hd.site no registration!!",
    "Cheap flights to anywhere: https://flyforless.deals/go https://flyforless.deals/hotels",
    "Check out my channel for daily news reactions, please subscribe!!! "
    "youtube.com/c/NewsReactsDaily",
    "Follow me on Twitch for live political debates every night, link in my profile!!!",
    # SEO and filler
    "Very informative post, thanks for sharing. I also write about home improvement tips on "
    "my blog homedecorideas.blog, please visit.",
    "Nice article. We are the best SEO company in Mumbai, top ranking guaranteed, visit "
    "seorankexperts.in",
    "This is really helpful content. For the best carpet cleaning services in Dallas visit "
    "dallascarpetpros.com",
    "Great blog, keep it up! Looking for affordable web design? Check out webdesigncheap.co.uk",
    "Thanks for the valuable information. Buy best quality office chairs online at "
    "ergoseat-store.com",
    "Awesome post!! I have bookmarked your site. Visit my website for the best dating tips: "
    "datingguru.tips",
    "Useful article. Get professional assignment help from experts at assignmentaid.co",
    "I really like your writing style. Also check my page for cheap wedding dresses "
    "bridalsale.shop",
    "Informative news. Best packers and movers in Delhi, call 98111 55501 for a free estimate.",
    "Wonderful post. Casino bonus 200% on first deposit, play now at luckyspin-casino.bet",
    "FREE FREE FREE iPhone 16 giveaway, just subscribe and share!!! giveaway-hub.online",
    "BUY FOLLOWERS LIKES AND VIEWS CHEAP FAST DELIVERY WWW.SOCIALBOOSTER.NET",
)

CIVIL = (
    # With a link to a source
    "The council's own minutes say otherwise: https://springfield.gov/minutes/2024-03-12 "
    "(see item 7 on the library budget).",
    "For anyone who wants the numbers, the census bureau has them here: "
    "https://www.census.gov/quickfacts",
    "Reuters reported the same thing last week with more detail on the funding: "
    "https://www.reuters.com/world/",
    "The full court ruling is worth reading before judging it: "
    "https://www.supremecourt.gov/opinions/",
    "Here is the original study the article is based on, it's open access: "
    "https://doi.org/10.1038/s41586-020-2649-2",
    "The weather service issued the flood warning at 4 pm, not 6 pm as stated here. "
    "See weather.gov for the timeline.",
    "I found the transcript of the mayor's speech on the city website, cityofspringfield.org, "
    "and she did not say that.",
    "Wikipedia has a decent summary of the history of the bridge: "
    "https://en.wikipedia.org/wiki/Tappan_Zee_Bridge",
    "The AP fact check covers this claim: apnews.com/hub/fact-checking",
    "The BBC had a good explainer on the new tariffs yesterday, bbc.co.uk/news is worth a look.",
    "The school board posts its budget online (springfieldschools.org/budget). The "
    "transport line went up 12%, not 30%.",
    "Source for the unemployment figure: the Bureau of Labor Statistics, bls.gov. It was 4.1% "
    "in June.",
    # With numbers
    "The article says the project costs $1.2 billion, but the state's estimate from 2021 was "
    "$850 million. Which one is right?",
    "I've lived on Elm Street for 23 years and the traffic has doubled since 2015.",
    "A 3.5% raise sounds generous until you remember inflation was 4% last year.",
    "The new stadium holds 45,000 people, and the parking lot has room for about 6,000 cars. "
    "Do the math.",
    "My property tax went from $3,200 to $3,900 in two years. I'd like to see where it goes.",
    "Turnout was 38% in the last local election. If you care about this, vote on November 5.",
    "The bus from Oak Park to downtown takes 55 minutes now, it took 30 before the route change.",
    "Only 12 of the 40 recommendations in the 2019 report were ever carried out.",
    "The hospital wait in our county averages 4 hours. Thanks for reporting on it.",
    "Per the article, 1 in 5 kids in the district qualifies for free lunch. That is a lot.",
    "The fire started around 2:30 am according to my neighbours on 5th Avenue.",
    "The article gets the date wrong: the factory closed in March 2009, not 2010.",
    # Ordinary opinions and replies
    "Thank you for covering the library cuts. Local reporting like this matters.",
    "I disagree with the editorial. Closing the clinic will hurt the people who need it most.",
    "Good piece, but I wish you had talked to some of the nurses as well as the managers.",
    "My grandmother took me to that market every Saturday. Sad to see it go.",
    "Does anyone know whether the road closure includes the bike lane?",
    "The mayor should explain why the contract was never put out to tender.",
    "I was at the meeting and the mood was much calmer than this article suggests.",
    "Both parties have been promising to fix this bridge for a decade. I'll believe it when "
    "I see it.",
    "Well written and balanced. It's rare to see both sides quoted fairly.",
    "As a teacher I can say the new curriculum has been hard on the younger kids.",
    "Congratulations to the team on a great season, the town is proud of them.",
    "Free speech also means hearing people you disagree with.",
    "The photos of the flooding are heartbreaking. Is there a way to help the families?",
    "I think the headline is misleading; the body of the article is much more nuanced.",
    "We need more affordable housing, not more luxury apartments downtown.",
    "The police chief's answer did not address the question about body cameras.",
    "Great to see the old theatre restored. We went last night and it was packed.",
    "Please correct the spelling of the councillor's name in the second paragraph.",
    "I've been a subscriber for 20 years and this is one of your best investigations.",
    "This is why we need a proper audit of the pension fund.",
    "My son won a scholarship through that programme, it deserves the funding.",
    "Can someone explain how the new parking permits work for visitors?",
    "Cash-strapped schools shouldn't be paying consultants this much.",
    "The price of eggs has doubled, and wages haven't. That's the real story.",
    "Interesting that the company made record profits the same year it cut 300 jobs.",
    "I'd like to hear what the residents of the estate think, not just the developer.",
    "Crypto exchanges collapsing every year should worry regulators more than it does.",
    "Working from home has emptied downtown, and the shops are paying for it.",
    "Call your representative if you care about this bill; mine actually answered.",
    "The winner of the baking contest deserved it, that cake looked amazing.",
    "Our street has had no streetlights for three weeks and nobody has come to fix them.",
    "Respectfully, the columnist is wrong about the history here.",
    "Finally some good news this week. Well done to the volunteers.",
    "The survey only asked 400 people, so I'd take the result with a grain of salt.",
    "I emailed the council about the potholes and got a reply within a day, credit where due.",
    "WHY does this keep happening? Nobody in charge ever takes responsibility.",
    "Sooo glad they finally fixed the crossing near the school!!!",
    "Same story every winter: no grit on the hills, cars stuck, buses cancelled.",
)
