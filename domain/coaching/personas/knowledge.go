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
	pains        []string
	objections   []string
}

// roleFamily is what the generator knows about a family of roles (finance,
// technology, operations...): what the person is measured on and what hurts.
type roleFamily struct {
	key        string
	keywords   []string // matched as whole words in the lowercased role
	focus      string   // completes "<First> ..." in the backstory
	pains      []string
	objections []string
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
			pains: []string{
				"We keep losing nurses to burnout and overtime costs are climbing",
				"Patient no-shows cost us tens of thousands of dollars every quarter",
				"Prior authorizations tie up staff on the phone with insurers for hours every day",
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
			pains: []string{
				"Unplanned downtime on our main line cost us hundreds of hours last year",
				"Scrap rates jumped after our most senior operators retired",
				"Maintenance schedules still live on a whiteboard and a spreadsheet",
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
			pains: []string{
				"Our drivers sit at docks for hours and detention fees are eating our margins",
				"Dispatchers still coordinate loads over phone calls and spreadsheets",
				"Late deliveries have put our biggest contracts at risk",
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
			pains: []string{
				"Regulatory reporting eats two full weeks of my team's time every quarter",
				"Our reconciliations are manual and the last audit found errors",
				"Client onboarding takes three weeks because of compliance paperwork",
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
			pains: []string{
				"Stockouts on our best sellers cost us sales every weekend",
				"Store staff turnover is so high that training never sticks",
				"Our online and in-store inventory numbers never match",
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
			pains: []string{
				"Leads go cold because agents take a day or more to follow up",
				"Vacancy rates in two of our buildings have doubled this year",
				"Maintenance requests get lost between email, texts and phone calls",
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
			pains: []string{
				"Claims cycle times keep climbing and customers are complaining",
				"Adjusters spend half their day on paperwork instead of settling claims",
				"Fraud losses rose last year and we caught most of it too late",
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
			pains: []string{
				"Change orders slip through the cracks and we end up eating the cost",
				"We can't find enough skilled labor, so jobs run behind schedule",
				"Site reports come in on paper, days late",
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
			pains: []string{
				"Enrollment is down and the board wants a recovery plan",
				"Teachers spend evenings on grading and paperwork instead of teaching",
				"Our student data is scattered across five different systems",
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
			pains: []string{
				"Booking sites take a big commission on most of our reservations",
				"Housekeeping is short-staffed every weekend",
				"Our online review scores dropped after we cut front desk hours",
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
			pains: []string{
				"Field inspections are still on paper and regulators want digital records",
				"Aging substations fail faster than we can replace them",
				"Outage response times are drawing complaints from the commission",
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
			pains: []string{
				"Associates lose hours of billable time to manual document review",
				"Clients push back on invoices and write-offs are climbing",
				"Conflict checks are slow and once nearly cost us a major client",
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
			pains: []string{
				"Churn crept up last quarter and we only find out when customers cancel",
				"Customer onboarding takes six weeks, so new accounts take forever to see value",
				"Engineers spend a day a week on customer escalations instead of the roadmap",
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
		pains: []string{
			"Too much of our {industry} work still runs on spreadsheets and email",
			"We're growing but we can't hire fast enough to keep up",
			"Leadership wants better numbers and our reporting takes days",
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
			pains: []string{
				"Every new spend request gets scrutinized line by line by the board",
				"Month-end close takes twelve days because our data lives in spreadsheets",
				"I can't prove ROI on half the tools we already pay for",
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
			pains: []string{
				"Every new tool becomes another integration my team has to babysit",
				"Our security team flagged three vendors for data handling last year",
				"Technical debt eats almost half of our sprint capacity",
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
			pains: []string{
				"Only forty percent of my reps hit quota last quarter",
				"New reps take six months to ramp and we can't wait that long",
				"My forecast is basically guesswork and the board knows it",
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
			pains: []string{
				"I can't prove which campaigns actually drive revenue",
				"Sales says our leads are junk and the pipeline shows it",
				"My budget got cut twenty percent but the targets went up",
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
			pains: []string{
				"We lose a third of new hires in their first ninety days",
				"It takes us sixty days to fill a role and managers are furious",
				"Onboarding is a mess of paperwork and nobody owns it",
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
			pains: []string{
				"Our ticket backlog doubled since the last product launch",
				"Customers churn before we even know they're unhappy",
				"My agents answer the same questions all day and they're burning out",
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
			pains: []string{
				"We have too many vendors and nobody tracks the contracts",
				"Spend outside approved suppliers keeps growing",
				"Supplier price increases hit us with no warning",
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
			pains: []string{
				"Unplanned downtime hits us a few times a month and nobody sees it coming",
				"Too many of our processes depend on manual handoffs and paper",
				"I'm short-staffed and overtime is burning out my best people",
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
			pains: []string{
				"Margins are shrinking and I can't pinpoint where the money leaks",
				"I'm still the bottleneck for too many decisions",
				"Growth has stalled for three quarters and the board is restless",
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
		key:   "generic",
		focus: "is measured on results and has little time for anything that doesn't move them",
		pains: []string{
			"My team spends too much time on manual work that should be automated",
			"We don't have good visibility into how things are really going",
			"Priorities keep shifting and we can't keep up",
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
