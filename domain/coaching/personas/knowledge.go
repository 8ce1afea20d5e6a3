package personas

import "strings"

// industryKnowledge is what the generator knows about an industry: how its
// companies are named, what they are going through, what hurts and what
// buyers there say no with.
type industryKnowledge struct {
	key          string
	aliases      []string // matched as whole words in the lowercased industry
	companyHeads []string
	companyTails []string
	situations   []string // completes "<Company> is a <size> <industry> business that ..."
	pains        []painFact
	objections   []string
}

// roleFamily is what the generator knows about a family of roles (finance,
// technology, operations...): what the person is measured on and what hurts.
type roleFamily struct {
	key        string
	keywords   []string // matched as whole words in the lowercased role
	focus      string   // completes "<First> ..." in the backstory
	pains      []painFact
	objections []string
	// decision says, in the persona's voice, who has a say in buying and who signs (situation.go).
	decision string
}

// industries lists the known industries. More specific entries come first, so
// "healthcare software" matches healthcare rather than software.
func industries() []industryKnowledge {
	return []industryKnowledge{
		{
			key:          "healthcare",
			aliases:      []string{"healthcare", "health care", "health", "hospital", "hospitals", "clinic", "clinics", "medical", "dental", "pharma", "pharmaceutical", "life sciences"},
			companyHeads: []string{"Riverside", "Mercy", "Summit", "Oakview", "Lakeshore", "Bayview"},
			companyTails: []string{"Health", "Medical Group", "Clinics", "Care Partners"},
			situations: []string{
				"is under pressure to cut costs while patient volumes keep rising",
				"was just acquired by a regional health system that wants better margins",
			},
			pains: []painFact{
				{"We keep losing nurses to burnout and overtime costs are climbing",
					"When a nurse leaves, the rest of the unit covers for her. People are on their fourth twelve-hour day in a row, and next month's schedule already has holes in it."},
				{"Patient no-shows cost us tens of thousands of dollars every quarter",
					"On a busy morning five or six patients just don't show. The provider sits idle, the front desk works the waitlist, and by the time someone answers, the slot is gone."},
				{"Prior authorizations tie up staff on the phone with insurers for hours every day",
					"Two people start every morning on hold with insurers while patients wait at check-in. If the approval doesn't come through, we reschedule the visit and start over."},
			},
			objections: []string{
				"Anything touching patient data needs a HIPAA review, and that takes months",
				"Our clinicians won't tolerate another screen to click through",
			},
		},
		{
			key:          "manufacturing",
			aliases:      []string{"manufacturing", "manufacturer", "factory", "industrial", "production", "automotive", "aerospace", "chemicals", "machinery"},
			companyHeads: []string{"Keystone", "Ironbridge", "Precision", "Allied", "Granite", "Forge"},
			companyTails: []string{"Manufacturing", "Components", "Industries", "Fabrication"},
			situations: []string{
				"is being asked by its owners for a five percent cost reduction this year",
				"is losing its most experienced machinists to retirement",
			},
			pains: []painFact{
				{"Unplanned downtime on our main line cost us hundreds of hours last year",
					"A machine stops in the middle of the night, everyone waits for maintenance, and by the time the part turns up the night is gone. Then planning reshuffles the whole week's orders."},
				{"Scrap rates jumped after our most senior operators retired",
					"The newer people set up the machines by the book, not the way the old hands did it, so the first batch of every run goes in the scrap bin."},
				{"Maintenance schedules still live on a whiteboard and a spreadsheet",
					"If you want to know when a machine was last greased, you walk over to the whiteboard in the maintenance crib and hope somebody wrote it down. The spreadsheet version is two weeks behind."},
			},
			objections: []string{
				"We can't stop the line to install anything new",
				"Corporate picks the software, not the plant",
			},
		},
		{
			key:          "logistics",
			aliases:      []string{"logistics", "transportation", "transport", "shipping", "freight", "trucking", "supply chain", "warehousing", "delivery", "courier"},
			companyHeads: []string{"Swift", "Meridian", "Crossroads", "Harbor", "Interstate", "Northstar"},
			companyTails: []string{"Logistics", "Freight", "Transport", "Distribution"},
			situations: []string{
				"has two major customer contracts up for renewal this year",
				"is squeezed between rising fuel costs and customers who refuse rate increases",
			},
			pains: []painFact{
				{"Our drivers sit at docks for hours and detention fees are eating our margins",
					"A driver pulls into a grocery warehouse for a six o'clock appointment and gets a door at ten. That's four hours off the road, and then we spend weeks arguing with the customer about who pays the detention."},
				{"Dispatchers still coordinate loads over phone calls and spreadsheets",
					"Dispatch starts at four with a phone in each hand. When a driver calls in sick, they pull his loads off the sheet and spend an hour ringing around for someone to cover."},
				{"Late deliveries have put our biggest contracts at risk",
					"Every late load means a call from the customer's transportation manager. We ran eighty-eight percent on time last month, and those contracts say ninety-five."},
			},
			objections: []string{
				"Our drivers won't use another app on the road",
				"Margins are too thin for new software right now",
			},
		},
		{
			key:          "finance",
			aliases:      []string{"finance", "financial", "financial services", "banking", "bank", "fintech", "credit union", "investment", "wealth management", "asset management", "accounting", "payments"},
			companyHeads: []string{"Meridian", "Pinnacle", "Harborstone", "Sterling", "Fairhaven", "Crescent"},
			companyTails: []string{"Financial", "Capital", "Bank", "Credit Union"},
			situations: []string{
				"was criticized by examiners for its reporting controls last year",
				"is trying to grow deposits while fintech competitors undercut its fees",
			},
			pains: []painFact{
				{"Regulatory reporting eats two full weeks of my team's time every quarter",
					"For the last two weeks of every quarter, three of my analysts pull numbers from four systems into spreadsheets, tie them out by hand and rebuild the call report. Nothing else gets done, and I review it at eleven at night."},
				{"Our reconciliations are manual and the last audit found errors",
					"At month-end two people tick and tie thousands of transactions in Excel. The auditors pulled a sample and found breaks nobody could explain."},
				{"Client onboarding takes three weeks because of compliance paperwork",
					"A new business client fills in forms and emails scanned IDs, then a second team asks for the same documents again. Three weeks later they can finally open the account, if they haven't gone elsewhere."},
			},
			objections: []string{
				"Any new vendor has to pass a twelve-month risk and compliance review",
				"Our core systems don't integrate with anything",
			},
		},
		{
			key:          "retail",
			aliases:      []string{"retail", "retailer", "ecommerce", "e-commerce", "consumer goods", "cpg", "grocery", "stores", "fashion", "apparel"},
			companyHeads: []string{"Bloom", "Harbor", "Maple", "Urban", "Evergreen", "Golden"},
			companyTails: []string{"Home Goods", "Outfitters", "Market", "Stores"},
			situations: []string{
				"grew fast through acquisitions and its systems never caught up",
				"is fighting online competitors for every weekend shopper",
			},
			pains: []painFact{
				{"Stockouts on our best sellers cost us sales every weekend",
					"By Saturday lunchtime the items we advertised are gone, and the next truck isn't until Tuesday. For three days the stores send customers to the competitor across town."},
				{"Store staff turnover is so high that training never sticks",
					"A new associate gets two days of shadowing and then works the floor alone. By the time they know where anything is, they've quit, and the manager is interviewing again."},
				{"Our online and in-store inventory numbers never match",
					"A customer buys online for pickup, drives over, and the shelf is empty although the website said three were available. The store refunds them, and we don't see that customer again."},
			},
			objections: []string{
				"We're in a holiday freeze, nothing new goes live until January",
				"Head office already picked a platform for that",
			},
		},
		{
			key:          "real estate",
			aliases:      []string{"real estate", "realty", "property", "properties", "property management", "proptech", "brokerage"},
			companyHeads: []string{"Keystone", "Cornerstone", "Parkside", "Landmark", "Summit", "Bluestone"},
			companyTails: []string{"Realty Group", "Properties", "Property Management", "Real Estate"},
			situations: []string{
				"has watched listings fall since interest rates went up",
				"is competing with national franchises for agents and leads",
			},
			pains: []painFact{
				{"Leads go cold because agents take a day or more to follow up",
					"Someone fills in a form on a listing at nine on a Saturday night. The agent sees it Sunday afternoon, and the buyer has already toured the house with someone else."},
				{"Vacancy rates in two of our buildings have doubled this year",
					"We've got units sitting empty for two months at a time. Every showing is a one-off appointment, and half the applicants don't pass screening, so we start over."},
				{"Maintenance requests get lost between email, texts and phone calls",
					"A tenant texts the super about a leak, emails the office two days later, then calls me angry. Three people have three different versions, and nobody has sent a plumber."},
			},
			objections: []string{
				"Agents are independent contractors, I can't force them to use a tool",
				"The market is slow, we're cutting costs, not adding them",
			},
		},
		{
			key:          "insurance",
			aliases:      []string{"insurance", "insurer", "underwriting", "claims", "insurtech", "reinsurance"},
			companyHeads: []string{"Harbor", "Guardian", "Lakeland", "Keystone", "Heritage", "Pioneer"},
			companyTails: []string{"Mutual", "Insurance", "Assurance", "Casualty"},
			situations: []string{
				"has seen claims complaints reach the state regulator",
				"is trying to modernize without adding headcount",
			},
			pains: []painFact{
				{"Claims cycle times keep climbing and customers are complaining",
					"A homeowner with a burst pipe waits a week for an adjuster to call back and another two for the estimate. By then they've complained twice and we're writing formal responses."},
				{"Adjusters spend half their day on paperwork instead of settling claims",
					"An adjuster starts the morning with thirty files, and most of the day goes to retyping the same facts into three screens and chasing signatures. The actual conversation with the policyholder takes ten minutes."},
				{"Fraud losses rose last year and we caught most of it too late",
					"We find the staged accidents after the payment has gone out. Special investigations gets a spreadsheet of flags once a month, long after the check has cleared."},
			},
			objections: []string{
				"Our legacy policy system can't integrate with anything modern",
				"We tried an AI vendor before and it was a disaster",
			},
		},
		{
			key:          "construction",
			aliases:      []string{"construction", "contractor", "contracting", "building", "builders", "trades", "civil engineering", "homebuilding"},
			companyHeads: []string{"Walsh", "Granite", "Summit", "Bedrock", "Cornerstone", "Ridgeline"},
			companyTails: []string{"Construction", "Builders", "Contracting", "Building Group"},
			situations: []string{
				"has more work than it can staff",
				"keeps winning bids and then losing money on them",
			},
			pains: []painFact{
				{"Change orders slip through the cracks and we end up eating the cost",
					"The owner's rep asks my foreman to move a wall, the foreman says sure, and nobody writes it down. Three months later I'm at the closeout meeting with no signed paper, and the owner says he never agreed to pay for it."},
				{"We can't find enough skilled labor, so jobs run behind schedule",
					"A job is ready for drywall and the sub says his crew is on another project for two weeks. We post for finishers and get two calls, one from a kid who's never held a trowel."},
				{"Site reports come in on paper, days late",
					"My supers write the daily report on a clipboard and drop it at the office on Friday. If something went wrong on Tuesday, I find out the next Monday when the owner calls me about it."},
			},
			objections: []string{
				"My crews aren't going to type things into a tablet",
				"We've run this business on paper for decades and it works",
			},
		},
		{
			key:          "education",
			aliases:      []string{"education", "edtech", "school", "schools", "university", "college", "higher education", "k-12", "training", "academy"},
			companyHeads: []string{"Westbrook", "Lakeview", "Northfield", "Riverbend", "Hillcrest", "Brookside"},
			companyTails: []string{"College", "Academy", "Learning", "School District"},
			situations: []string{
				"has seen enrollment fall for two years in a row",
				"runs on a budget the board sets a year in advance",
			},
			pains: []painFact{
				{"Enrollment is down and the board wants a recovery plan",
					"Every Monday I open the funnel report and it's lower than the same week last year. Then I spend the afternoon writing talking points before the trustees ask again."},
				{"Teachers spend evenings on grading and paperwork instead of teaching",
					"A teacher finishes classes at three, then sits at the kitchen table until ten marking essays and filling in the same attendance notes twice."},
				{"Our student data is scattered across five different systems",
					"When a parent calls, the office looks up the timetable in one place, marks in another and attendance in a third, and the parent waits on hold the whole time."},
			},
			objections: []string{
				"Budgets are set a year in advance",
				"Any purchase goes through a committee that meets twice a year",
			},
		},
		{
			key:          "hospitality",
			aliases:      []string{"hospitality", "hotel", "hotels", "restaurant", "restaurants", "travel", "food service", "resort", "resorts", "catering"},
			companyHeads: []string{"Harborview", "Seaside", "Grand", "Alpine", "Willow", "Copper"},
			companyTails: []string{"Hotel", "Hospitality Group", "Resorts", "Kitchens"},
			situations: []string{
				"is trying to win back occupancy after a long renovation",
				"is running short-staffed through its busiest season",
			},
			pains: []painFact{
				{"Booking sites take a big commission on most of our reservations",
					"A couple who stayed with us last summer books again through a booking site instead of calling us, and the site keeps close to a fifth of the rate."},
				{"Housekeeping is short-staffed every weekend",
					"Saturday at three there's a line of guests waiting for rooms, and the manager is upstairs making beds because two housekeepers called in sick."},
				{"Our online review scores dropped after we cut front desk hours",
					"After eleven at night there's nobody at the front desk, so a guest who arrives late rings a bell and waits for the night porter. The next morning they write a two-star review about it."},
			},
			objections: []string{
				"The owners won't approve spending until occupancy recovers",
				"My staff have no time to learn new systems mid-season",
			},
		},
		{
			key:          "energy",
			aliases:      []string{"energy", "utilities", "utility", "oil and gas", "oil & gas", "renewables", "power", "solar", "wind", "electric"},
			companyHeads: []string{"Northgrid", "Bright", "Prairie", "Coastal", "Summit", "Granite"},
			companyTails: []string{"Energy", "Power", "Utilities", "Renewables"},
			situations: []string{
				"is working through findings from its last regulatory audit",
				"is replacing aging infrastructure on a tight capital plan",
			},
			pains: []painFact{
				{"Field inspections are still on paper and regulators want digital records",
					"Inspectors fill in paper forms on site, bring them back at the end of the week, and someone types them in. When the regulator asks for last year's records, we spend days digging through binders."},
				{"Aging substations fail faster than we can replace them",
					"A transformer from the seventies trips on a hot afternoon, the crew spends the night on a temporary fix, and the replacement part has a nine-month lead time."},
				{"Outage response times are drawing complaints from the commission",
					"A storm takes out power to a few thousand homes, and our crews work from a printed map. Customers wait hours for an estimate, and each complaint to the commission needs a written answer."},
			},
			objections: []string{
				"Anything that touches our grid systems needs a compliance review",
				"Capital plans are locked for the next three years",
			},
		},
		{
			key:          "legal",
			aliases:      []string{"legal", "law", "law firm", "attorneys", "legal services", "litigation"},
			companyHeads: []string{"Stone", "Whitaker", "Hale", "Morgan", "Ashford", "Carrington"},
			companyTails: []string{"& Partners LLP", "Law Group", "& Associates", "LLP"},
			situations: []string{
				"is seeing clients push back on every invoice",
				"is losing associates to bigger firms",
			},
			pains: []painFact{
				{"Associates lose hours of billable time to manual document review",
					"Three associates sit in a room for a week flagging privileged emails in a production of two hundred thousand documents. The client refuses to pay for most of those hours, so we write them off."},
				{"Clients push back on invoices and write-offs are climbing",
					"A general counsel gets our monthly bill, circles every entry she doesn't like and sends it back. A partner spends an afternoon negotiating, and we knock fifteen percent off to keep the relationship."},
				{"Conflict checks are slow and once nearly cost us a major client",
					"A new client calls on Monday needing us in court Thursday. Someone searches three old databases by hand, emails every partner and waits for answers, and meanwhile the client is calling other firms."},
			},
			objections: []string{
				"Confidentiality is everything, no client data leaves our servers",
				"The partners vote on every purchase and they hate change",
			},
		},
		{
			key:          "saas",
			aliases:      []string{"saas", "software", "tech", "technology", "cloud", "it services", "startup", "internet", "b2b software"},
			companyHeads: []string{"Cloud", "Stack", "Signal", "Lattice", "Bright", "Relay"},
			companyTails: []string{"nest", "line", "wise", "works"},
			situations: []string{
				"just raised a growth round and is under pressure to hit aggressive targets",
				"is consolidating tools after a round of layoffs",
			},
			pains: []painFact{
				{"Churn crept up last quarter and we only find out when customers cancel",
					"The first sign we get is a cancellation email. When we look back, usage had dropped for two months and nobody noticed, because it sits in a dashboard no one opens."},
				{"Customer onboarding takes six weeks, so new accounts take forever to see value",
					"A new account signs, then waits for a kickoff, then for their data import, then for training. Six weeks in, the sponsor who bought us gets asked by their boss why nothing has changed yet."},
				{"Engineers spend a day a week on customer escalations instead of the roadmap",
					"Support drops an urgent ticket in the engineering channel, and whoever's on call stops what they're doing to dig through logs. By Friday three planned tickets haven't been touched."},
			},
			objections: []string{
				"We're locked into a three-year contract with another vendor",
				"Our engineering team is fully booked for the next two quarters",
			},
		},
	}
}

// genericIndustry is the fallback for an industry the generator does not know.
// "{industry}" in its texts is replaced by the caller's industry, lowercased.
func genericIndustry() industryKnowledge {
	return industryKnowledge{
		key:          "generic",
		companyHeads: []string{"Northwind", "Bluewater", "Summit", "Redwood", "Clearview", "Ironwood"},
		companyTails: []string{"Group", "Partners", "Holdings", "Company"},
		situations: []string{
			"is growing faster than its processes",
			"is under pressure from new competitors",
		},
		pains: []painFact{
			{"Too much of our {industry} work still runs on spreadsheets and email",
				"Everything starts as an email, gets copied into a spreadsheet, and then someone emails the spreadsheet around. Every week somebody works from an old version."},
			{"We're growing but we can't hire fast enough to keep up",
				"We post a job, wait six weeks for someone good, and in the meantime everyone covers the open seat on top of their own work. The good people are the ones who get tired first."},
			{"Leadership wants better numbers and our reporting takes days",
				"When leadership asks for a number, two people spend two days pulling exports and pasting them into a deck. By the time it's ready, the question has changed."},
		},
		objections: []string{
			"We're not looking at anything new this year",
			"We built our own process and it works well enough",
		},
	}
}

// roleFamilies lists the known families of roles, most specific first.
func roleFamilies() []roleFamily {
	return []roleFamily{
		{
			key:      "finance",
			keywords: []string{"cfo", "finance", "financial", "controller", "comptroller", "accountant", "accounting", "treasurer", "treasury", "fp&a", "fpa", "bookkeeper", "audit"},
			focus:    "owns the budget, and every spending decision gets judged on cost and return on investment",
			decision: "I control the spending, so the yes is mine up to about a hundred thousand a year. My controller would run the evaluation, and above that the CEO and the board's finance committee see it before anything is signed.",
			pains: []painFact{
				{"Every new spend request gets scrutinized line by line by the board",
					"A manager asks for a tool, I build the business case, and the directors go through it at the next meeting. Two months later it comes back with questions and we start again."},
				{"Month-end close takes twelve days because our data lives in spreadsheets",
					"On day one of the close my team exports from four systems into spreadsheets. By day eight they're still chasing differences, and the numbers are final on day twelve."},
				{"I can't prove ROI on half the tools we already pay for",
					"At renewal time someone tells me a tool is essential, and I ask for usage numbers. Nobody has them, so we renew because cancelling feels riskier."},
			},
			objections: []string{
				"There's no budget for this until next fiscal year",
				"Show me hard ROI numbers or I'm not interested",
				"Your price is way more than what we pay today",
			},
		},
		{
			key:      "technology",
			keywords: []string{"cto", "cio", "ciso", "it", "engineering", "engineer", "developer", "architect", "security", "devops", "technology", "technical", "data", "infrastructure", "platform", "software"},
			focus:    "is accountable for the systems, integrations and security the business runs on",
			decision: "I make the technical call with my leads, and they'd test it hands-on first. Anyone who will hold our customer information gets checked by our security people first, and finance signs the contract.",
			pains: []painFact{
				{"Every new tool becomes another integration my team has to babysit",
					"Somebody in sales buys a tool, and two months later it needs single sign-on, our user data and a webhook into billing. One engineer owns it from then on, and when it falls over at two in the morning it's his pager."},
				{"Our security team flagged three vendors for data handling last year",
					"A department buys a tool, and my team finds out when it asks for access to customer data. Then we spend weeks on questionnaires and cleanup after the fact."},
				{"Technical debt eats almost half of our sprint capacity",
					"Half of every sprint goes to fixing things that broke because of old shortcuts. The roadmap slips a little every two weeks, and product stops believing our estimates."},
			},
			objections: []string{
				"Does it integrate with our stack, or is it another silo?",
				"Our security review alone takes six months",
				"We could probably build this ourselves",
			},
		},
		{
			key:      "sales",
			keywords: []string{"sales", "cro", "revenue", "business development", "bdr", "sdr", "account executive", "commercial", "account manager"},
			focus:    "carries the revenue number and lives by quota and forecast",
			decision: "I'd pick it with my sales ops lead, and a few of my reps would have to actually like it in a trial. Finance signs anything over about fifty thousand a year.",
			pains: []painFact{
				{"Only forty percent of my reps hit quota last quarter",
					"In the last week of the quarter I'm on every deal call, pulling forward whatever I can. Most of the team is still short, and on Monday I'm explaining the gap to the CEO."},
				{"New reps take six months to ramp and we can't wait that long",
					"A new hire shadows calls for a month, then gets leads they don't know how to work. By month four they've closed one deal and I'm wondering if I hired wrong."},
				{"My forecast is basically guesswork and the board knows it",
					"Every Monday I ask each rep what's closing, they tell me what they hope, and I put a number in a spreadsheet. When the quarter closes, it's off by twenty percent."},
			},
			objections: []string{
				"My reps already have too many tools",
				"We just bought a sales platform, I'm not switching",
				"It's the end of the quarter, call me next month",
			},
		},
		{
			key:      "marketing",
			keywords: []string{"cmo", "marketing", "growth", "brand", "demand", "content", "communications"},
			focus:    "answers for pipeline and has to prove what every campaign returns",
			decision: "The marketing money is mine. Sales leadership would want a say since they live with the leads, and our ops person would check it works with the CRM before I sign.",
			pains: []painFact{
				{"I can't prove which campaigns actually drive revenue",
					"At the quarterly review the CFO asks which of our programs brought in real deals, and I show click-through rates. The reps say the deals came from their own outreach, and nobody can settle it."},
				{"Sales says our leads are junk and the pipeline shows it",
					"We hand over two hundred contacts a month, the reps call a dozen, and in the Monday meeting they say the rest were students and competitors."},
				{"My budget got cut twenty percent but the targets went up",
					"I've had to cancel the spring event and drop two channels, and the number on my slide went up anyway. Every week I'm choosing which program not to run."},
			},
			objections: []string{
				"We already have an agency handling that",
				"Every vendor promises attribution and none of them deliver",
				"I need to see case studies from companies our size",
			},
		},
		{
			key:      "people",
			keywords: []string{"hr", "people", "talent", "recruiting", "recruiter", "human resources", "chro", "culture", "learning", "workforce"},
			focus:    "is responsible for hiring, onboarding and keeping good people",
			decision: "I'd choose it with my HR operations lead. IT checks anything that holds employee data, and the COO controls that spend above a small amount.",
			pains: []painFact{
				{"We lose a third of new hires in their first ninety days",
					"Someone starts on Monday and their laptop isn't ready, their manager is traveling, and nobody told them what to do. Two months later they say in the exit interview they never felt settled."},
				{"It takes us sixty days to fill a role and managers are furious",
					"A manager opens a position, we post it, and then we wait for them to find time for interviews. Candidates accept other offers in the meantime, and the manager calls me asking what's taking so long."},
				{"Onboarding is a mess of paperwork and nobody owns it",
					"A new starter gets twelve forms from four departments, fills some in twice, and payroll still misses their first paycheck."},
			},
			objections: []string{
				"We're in a hiring freeze",
				"IT has to approve anything that touches employee data",
				"We just rolled out a new HR system, nobody wants another change",
			},
		},
		{
			key:      "support",
			keywords: []string{"support", "customer success", "service", "services", "cx", "customer experience", "helpdesk", "client services"},
			focus:    "runs the team customers call when something goes wrong",
			decision: "I run the team, so I choose the tools, together with my two team leads. IT checks how it connects to our ticketing, and finance handles the contract.",
			pains: []painFact{
				{"Our ticket backlog doubled since the last product launch",
					"We open Monday with a few hundred tickets from the weekend, and by Friday we've answered them and the pile is the same size. Customers wait three days for a reply."},
				{"Customers churn before we even know they're unhappy",
					"The first we hear is the cancellation. When we look back, they'd opened five tickets about the same thing and each went to a different agent."},
				{"My agents answer the same questions all day and they're burning out",
					"Half the tickets are password resets and where-is-my-order. An agent types the same reply forty times a day, and my best people are the ones who ask to move teams."},
			},
			objections: []string{
				"We already have a helpdesk tool and switching is painful",
				"My team has no bandwidth for a rollout right now",
				"Automation makes customers angrier, not happier",
			},
		},
		{
			key:      "procurement",
			keywords: []string{"procurement", "purchasing", "buyer", "sourcing", "vendor", "category manager", "supply"},
			focus:    "negotiates every vendor contract and is measured on savings",
			decision: "My team runs the buying either way, but the people who'd use it pick the shortlist. Finance and legal review the contract, and the CFO sees anything large.",
			pains: []painFact{
				{"We have too many vendors and nobody tracks the contracts",
					"When a vendor raises prices, my team digs through shared drives to find out whether the contract allows it, and half the time we can't find the signed copy."},
				{"Spend outside approved suppliers keeps growing",
					"A department needs something fast, puts it on a credit card, and I find out at quarter-end. Then we're paying list price to a company we've never vetted."},
				{"Supplier price increases hit us with no warning",
					"An invoice arrives twelve percent higher than last month with a one-line note about costs. By then our plan for the year is set and the goods are already on the floor."},
			},
			objections: []string{
				"You'd need to go through our formal RFP process",
				"We only work with approved vendors",
				"Your pricing needs to come down thirty percent",
			},
		},
		{
			key:      "operations",
			keywords: []string{"coo", "operations", "operating", "ops", "plant", "warehouse", "logistics", "facilities", "production", "fleet", "dispatch", "maintenance", "store", "practice manager", "quality"},
			focus:    "keeps daily operations running and measures everything in uptime, throughput and overtime",
			decision: "Operations decides what my people use, and my supervisors would have to like it. IT checks anything that connects to our systems, and the CFO signs anything big.",
			pains: []painFact{
				{"Unplanned downtime hits us a few times a month and nobody sees it coming",
					"Something stops in the middle of a shift, everyone waits for maintenance, and my supervisors spend the rest of the day reshuffling work. We catch up with overtime on Saturday."},
				{"Too many of our processes depend on manual handoffs and paper",
					"A job moves from one desk to the next on a printed form. If someone's out, it sits in their tray, and nobody knows where it is until the customer calls."},
				{"I'm short-staffed and overtime is burning out my best people",
					"When someone's out, my best people stay late to cover. Some of them have worked six days a week for a month, and I'm the one asking them to stay again."},
			},
			objections: []string{
				"We can't afford any disruption during a rollout",
				"My team won't adopt another tool",
				"We tried something like this before and it failed",
			},
		},
		{
			key:      "executive",
			keywords: []string{"ceo", "founder", "co-founder", "cofounder", "owner", "president", "principal", "partner", "managing director", "general manager", "gm", "chief executive", "executive director"},
			focus:    "answers to the board for growth and margins and decides what gets funded",
			decision: "In the end it's my call. I'd ask the people who'd use it every day, and my CFO would go through the numbers with me first.",
			pains: []painFact{
				{"Margins are shrinking and I can't pinpoint where the money leaks",
					"Every month the numbers come in a bit worse, and each department head tells me their costs are under control. I spend weekends in spreadsheets trying to find where it goes."},
				{"I'm still the bottleneck for too many decisions",
					"My inbox has forty things waiting for a yes from me. When I'm traveling, work stops, and people wait a week for answers they could have given themselves."},
				{"Growth has stalled for three quarters and the board is restless",
					"Every board meeting starts with the same flat line, and I spend the week before preparing explanations. The team feels it too; nobody wants to bring me bad news."},
			},
			objections: []string{
				"I get ten of these calls a week, why are you different?",
				"Send me something in writing and I'll look at it",
				"My team handles this, talk to them",
			},
		},
	}
}

// genericRole is the fallback for a role the generator does not recognise.
func genericRole() roleFamily {
	return roleFamily{
		key:      "generic",
		focus:    "is measured on results and has little time for anything that doesn't move them",
		decision: "I'd have a say, and so would the people who'd use it every day. My manager controls the spending, and finance handles contracts.",
		pains: []painFact{
			{"My team spends too much time on manual work that should be automated",
				"Every week someone copies numbers from one system into another by hand. It takes most of a day, and when they make a typo, we spend the next day finding it."},
			{"We don't have good visibility into how things are really going",
				"When my boss asks how we're doing, I have to ask five people and piece it together. By the time I have an answer, it's out of date."},
			{"Priorities keep shifting and we can't keep up",
				"On Monday we agree on the plan, by Wednesday something urgent lands from upstairs, and on Friday half the week's work is parked again."},
		},
		objections: []string{
			"I'm not the right person for this",
			"We're happy with how things work today",
			"Now is not a good time",
		},
	}
}

// personalityObjection is the objection every persona of a personality raises.
func personalityObjection(p string) string {
	switch p {
	case "skeptical":
		return "Every vendor says that, what proof do you have?"
	case "busy":
		return "I really don't have time for this right now"
	case "friendly":
		return "It sounds nice, but I'm not sure it's a priority right now"
	case "technical":
		return "I'd need to see the technical documentation before going any further"
	case "hostile":
		return "I don't take sales calls, how did you even get my number?"
	}
	return "I'm not sure this is for us"
}

// matchIndustry finds the knowledge for an industry, falling back to genericIndustry.
func matchIndustry(industry string) industryKnowledge {
	norm := normalizePhrase(industry)
	for _, k := range industries() {
		for _, a := range k.aliases {
			if containsPhrase(norm, a) {
				return k
			}
		}
	}
	return genericIndustry()
}

// matchRole finds the family of a role, falling back to genericRole.
func matchRole(role string) roleFamily {
	norm := normalizePhrase(role)
	for _, f := range roleFamilies() {
		for _, kw := range f.keywords {
			if containsPhrase(norm, kw) {
				return f
			}
		}
	}
	return genericRole()
}

// normalizePhrase lowercases s, turns every run of characters other than
// letters, digits and '&' into one space, and pads with spaces, so whole-word
// phrases can be found with strings.Contains.
func normalizePhrase(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if r == '&' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// containsPhrase reports whether the normalized text contains phrase as whole words.
func containsPhrase(normalized, phrase string) bool {
	return strings.Contains(normalized, normalizePhrase(phrase))
}
