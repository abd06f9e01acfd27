#!/usr/bin/env python3
"""Builds the labelled near-duplicate set src/test/resources/stories/pairs.jsonl from the articles below.

The articles are the project's own texts (facts of the first one come from shared/fixtures/syndicated-article.txt).
Each pair is {"id", "kind", "same", "a": {"title", "html"}, "b": {...}}. Run: python3 tools/make-story-pairs.py
"""
import json, random, re, pathlib

random.seed(20261127)
ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "src/test/resources/articles/syndicated-article.txt").read_text(encoding="utf-8")

BOILER_DONATE = ("DONATE TO OUR NEWSROOM. Please help us! If you are tired of big tech deciding what you may read, "
                 "consider making a donation so we can keep reporting. Now is the time. Truth has never mattered more!")
BOILER_COMMENTS = ("Comment policy: we have no tolerance for comments containing violence, racism, profanity, vulgarity, "
                   "doxing, or discourteous behavior. If a comment is spam, please flag it instead of replying to it. "
                   "Thank you for helping us keep the conversation fruitful.")
BOILER_LICENSE = "For licensing opportunities of our original content, please contact licensing@newswire.example."
BOILER_PRESS = ("About Northfield Energy: Northfield Energy is a regional utility serving more than 400,000 homes and "
                "businesses across three counties. The company has invested in grid reliability, storm hardening and "
                "renewable generation since its founding in 1952. Media contact: press@northfield.example.")

def paras(text):
    return [p.strip() for p in text.split("\n\n") if p.strip()]

fixture = paras(ARTICLE)
ICE = {
    "title": fixture[0],
    "body": [p for p in fixture[2:] if not p.startswith(("DONATE", "Please help", "Success!", "Comment", "We have no",
             "BPR INSIDER", "Scroll down", "Latest Articles", "For licensing"))],
}

A = [ICE,
 {"title": "Riverside council approves $48 million budget with new transit fund",
  "body": ["The Riverside city council voted 6-1 on Tuesday night to approve a $48 million operating budget for the coming fiscal year, setting aside $3.2 million for a new transit fund that supporters say will add evening bus service to the east side.",
           "Council member Dana Ortiz, who proposed the transit fund, said residents of the east side have waited a decade for buses that run after 7 p.m. \"People work late shifts. They should not have to walk two miles home in the dark,\" she said.",
           "The lone vote against the budget came from council member Paul Reyes, who argued that the city should have rebuilt its reserve fund first after drawing it down during last winter's flooding.",
           "The budget also includes raises of 2.5 percent for city employees, a new position in the code enforcement office and $700,000 for repaving Mill Street.",
           "City manager Helen Cho said the transit routes could begin running by March if the regional transit authority signs off on the schedule."]},
 {"title": "Drought pushes Lake Marren to lowest level in 40 years",
  "body": ["Water levels at Lake Marren fell to 612 feet above sea level this week, the lowest reading since 1984, as a second straight dry summer drained the reservoir that supplies drinking water to about 90,000 people.",
           "The county water district asked residents to cut outdoor watering to two days a week and said mandatory limits could follow in October if the autumn rains are weak.",
           "Boat ramps on the north shore have been closed since July, and the marina operator said business is down by more than half compared with last year.",
           "Hydrologist Mira Patel of the state geological survey said the lake typically recovers within two wet winters, but warned that warmer temperatures mean more water is lost to evaporation than in past droughts.",
           "The district will hold a public meeting on conservation rules on Sept. 14 at the county fairgrounds."]},
 {"title": "Hospital workers at St. Brendan's vote to unionize",
  "body": ["Nurses and technicians at St. Brendan's Medical Center voted 412 to 287 to join the Health Workers United union, ending a two-year organizing campaign at the largest hospital in the valley.",
           "Organizers said staffing levels were the main issue. \"We have had nights where one nurse covered eleven patients,\" said Teresa Wong, an intensive care nurse who helped lead the campaign.",
           "Hospital management said in a statement that it respected the outcome and would bargain in good faith, though it had urged employees to vote against the union in a series of meetings this spring.",
           "The bargaining unit covers about 750 workers. Contract talks are expected to begin within two months, and both sides said they hoped to reach an agreement before the end of the year.",
           "It is the third hospital in the state to unionize since January."]},
 {"title": "Local bakery wins national award for sourdough",
  "body": ["Harbor Street Bakery, a six-table shop that opened in a former hardware store in 2019, won first place for sourdough bread at the National Artisan Baking Competition in Denver on Saturday.",
           "Owner Luis Ferreira said the winning loaf uses a starter he brought from his grandmother's kitchen in Porto and a slow, 36-hour fermentation. \"She would be laughing at me right now,\" he said.",
           "The bakery competed against 140 entrants from 38 states. Judges praised the loaf's open crumb and a crust they described as deeply caramelized without being bitter.",
           "Ferreira said the shop would not raise prices after the win, but he expects longer lines on weekends and plans to hire two more bakers.",
           "The bakery sells about 300 loaves on a typical Saturday."]},
 {"title": "State Supreme Court strikes down redistricting map",
  "body": ["The state Supreme Court ruled 5-2 on Friday that the legislature's new congressional map violated the state constitution's ban on partisan gerrymandering, ordering lawmakers to draw new districts within 30 days.",
           "Writing for the majority, Justice Ellen Park said the map split eleven counties without justification and packed voters of one party into two districts to dilute their influence elsewhere.",
           "In a dissent, Justice Robert Hale wrote that the court had overstepped by substituting its judgment for that of elected lawmakers in an inherently political task.",
           "Legislative leaders said they would comply but called the deadline unrealistic. If lawmakers fail to act, a court-appointed expert will draw the map.",
           "The ruling could shift one or two of the state's nine congressional seats in next year's election."]},
 {"title": "Wildfire near Pine Ridge forces evacuation of 2,000 residents",
  "body": ["A fast-moving wildfire burned more than 8,000 acres near Pine Ridge on Sunday, forcing about 2,000 residents to evacuate as gusty winds pushed flames toward the town's western edge.",
           "Fire officials said the blaze started near a highway rest area shortly after noon and was zero percent contained by evening. Its cause is under investigation.",
           "Three homes and several outbuildings were destroyed, according to the county sheriff. No injuries had been reported.",
           "An evacuation shelter opened at Pine Ridge High School, where the Red Cross said about 300 people spent the night. Animal control set up a separate site for livestock at the rodeo grounds.",
           "Crews from four neighboring counties and two air tankers were assigned to the fire, and forecasters expected winds to ease by Tuesday."]},
 {"title": "University raises tuition 4 percent, citing state cuts",
  "body": ["The Board of Regents voted Thursday to raise in-state tuition at Central State University by 4 percent next year, blaming a $22 million cut in state funding approved by lawmakers in the spring.",
           "The increase will add about $410 a year to the cost of attendance for a full-time undergraduate. Regents also approved a 6 percent increase for out-of-state students.",
           "Student body president Amara Nwosu urged the board to delay the vote, saying many students already work two jobs. \"Every increase pushes someone out,\" she said.",
           "University president Daniel Kim said the school would expand need-based aid by $5 million to offset the increase for low-income students.",
           "It is the first tuition increase at the university in three years."]},
 {"title": "Police chief Morales announces retirement after 31 years",
  "body": ["Harborview Police Chief Anna Morales said Monday that she will retire at the end of the year, closing a 31-year career that began as a patrol officer on the city's night shift.",
           "Morales became the department's first female chief in 2016 and oversaw the adoption of body cameras and a new de-escalation training program that she credits with a drop in use-of-force complaints.",
           "Mayor Greg Tanaka praised her leadership and said a national search for a successor would begin next month. Deputy Chief Samuel Brooks will serve as interim chief.",
           "Morales said she plans to spend more time with her grandchildren and to teach criminal justice courses at the community college.",
           "The department has about 240 sworn officers."]},
 {"title": "New study links city tree cover to cooler summer nights",
  "body": ["Neighborhoods with more tree canopy stayed up to 7 degrees cooler on summer nights than nearby blocks with little shade, according to a study by researchers at Lakeside University published Wednesday.",
           "The team placed 180 temperature sensors on light poles across the city for two summers and compared readings with satellite maps of tree cover.",
           "Lead author Dr. Kwame Mensah said the effect was strongest during heat waves, when the difference could mean fewer heat-related hospital visits among older residents.",
           "The city plans to plant 10,000 trees over the next five years, focusing on neighborhoods that the study identified as heat islands.",
           "The researchers said they would share the sensor data publicly so other cities could repeat the analysis."]},
 {"title": "Ferry service to Gull Island resumes after six-month repair",
  "body": ["Ferry service between the mainland and Gull Island resumed Saturday after a six-month shutdown for repairs to the aging vessel Island Queen, ending a stretch in which residents relied on a single water taxi.",
           "The $4.6 million overhaul replaced both engines and the ramp that failed in March, stranding dozens of commuters for most of a day.",
           "Island residents lined the dock to cheer the first arrival. \"It feels like the island is connected again,\" said shop owner Colleen Murphy.",
           "The ferry authority said it will run eight round trips a day on weekdays and six on weekends, and that fares will stay the same through next summer.",
           "A replacement vessel is planned for 2028, pending federal grant money."]},
 {"title": "Tech company Quanta to open 600-job plant in Elmwood",
  "body": ["Battery maker Quanta Systems will build a $310 million manufacturing plant in Elmwood that is expected to employ 600 people when it opens in 2027, the governor announced Wednesday.",
           "The state offered $42 million in tax incentives and will pay for a new road and water line to the site, a former farm on the town's southern edge.",
           "Quanta chief executive Priya Raman said Elmwood won out over sites in two other states because of its rail access and a technical college program that can train workers.",
           "Some residents have raised concerns about truck traffic and water use. The company said the plant will recycle most of its process water.",
           "Construction is expected to begin in the spring."]},
]

FOLLOWUPS = [
 (0, {"title": "ICE subpoenas New York City over released immigrants",
      "body": ["Immigration and Customs Enforcement issued four subpoenas to New York City on Tuesday, seeking records on immigrants who were released from city jails despite federal detainer requests.",
               "The agency said all four had criminal records, including convictions for assault and drug trafficking, and that the city's sanctuary laws barred officers from honoring the detainers.",
               "City officials said they would review the subpoenas but defended local laws that limit cooperation with federal immigration authorities, arguing they make immigrant communities more willing to report crimes.",
               "The subpoenas are the latest in a series issued to jurisdictions that decline to honor detainers. The agency sent similar requests to Connecticut last month.",
               "A spokesperson for the mayor said the city would respond within the legal deadline."]}),
 (1, {"title": "Riverside council delays vote on transit routes",
      "body": ["The Riverside city council on Tuesday postponed a vote on new evening bus routes for the east side, saying it needed more information about costs from the regional transit authority.",
               "The routes would be paid for by the $3.2 million transit fund created in this year's budget, but the transit authority has not yet said how many drivers it can hire.",
               "Council member Dana Ortiz said she was frustrated by the delay. \"We funded this months ago. Residents want to know when the buses will run,\" she said.",
               "The council will take up the issue again at its next meeting in two weeks. City manager Helen Cho said service could still begin in the spring.",
               "Separately, the council approved a contract for repaving Mill Street."]}),
 (2, {"title": "Water district imposes mandatory limits as Lake Marren keeps falling",
      "body": ["The county water district board voted on Monday to impose mandatory watering limits after Lake Marren dropped another four feet in September, despite voluntary conservation efforts.",
               "Under the new rules, residents may water lawns only one day a week, and car washing at home is banned. Violators face fines starting at $100.",
               "District manager Tom Becker said residents cut use by 11 percent under the voluntary request, short of the 20 percent goal.",
               "The marina on the north shore announced it would close for the season two months early.",
               "The rules will stay in effect until the lake rises above 625 feet."]}),
 (5, {"title": "Pine Ridge wildfire 60 percent contained as evacuees return",
      "body": ["Firefighters had the Pine Ridge wildfire 60 percent contained by Wednesday, allowing most of the roughly 2,000 evacuated residents to return home as winds eased.",
               "The fire burned about 9,500 acres and destroyed five homes in total, fire officials said. Investigators now believe sparks from a dragging trailer chain started it near the highway rest area.",
               "The shelter at Pine Ridge High School closed Wednesday morning. Some residents on the western edge of town remain under an evacuation warning.",
               "Officials urged drivers to check trailer chains and said fire danger would remain high until the first autumn rain.",
               "The county will hold a meeting on recovery aid next week."]}),
 (7, {"title": "Harborview names interim police chief as search begins",
      "body": ["Harborview Deputy Chief Samuel Brooks was sworn in as interim police chief on Friday, as the city began a national search to replace retiring chief Anna Morales.",
               "Brooks, a 22-year veteran of the department, said he would keep the body camera and de-escalation programs in place and focus on hiring to fill 18 vacant officer positions.",
               "Mayor Greg Tanaka said a search firm would present finalists by spring and that residents would be able to meet the candidates at public forums.",
               "Morales will remain with the department as an adviser through the end of the year.",
               "Brooks said he has not decided whether to apply for the permanent job."]}),
 (11, {"title": "Elmwood residents question water use at planned Quanta plant",
       "body": ["More than 200 people packed a town hall in Elmwood on Thursday to question plans for the Quanta Systems battery plant, with many asking how much groundwater the factory will use.",
                "Company officials said the plant would draw about 400,000 gallons a day at first, and recycle most of its process water once a treatment system is running.",
                "Farmer Jill Sorensen said wells on her land dropped last summer. \"We need numbers in writing before the first shovel goes in,\" she said.",
                "State officials said a water permit review will include public comment, and the town board said it would hire an independent hydrologist.",
                "The plant is expected to employ 600 people when it opens in 2027."]}),
]

SHORTS = [
 ("Weather: rain expected Tuesday", "Forecasters expect showers across the region on Tuesday, with highs near 60."),
 ("Weather: rain expected Thursday", "Forecasters expect showers across the region on Thursday, with highs near 55."),
 ("Road closure on Route 9", "Route 9 will close between Oak and Pine streets on Monday for bridge inspections."),
 ("Road closure on Route 12", "Route 12 will close between Main and Elm streets on Wednesday for bridge inspections."),
 ("Lottery results", "The winning numbers in Saturday's drawing were 4, 11, 23, 35, 41 and 8."),
 ("Lottery results", "The winning numbers in Wednesday's drawing were 7, 15, 22, 30, 44 and 2."),
 ("High school football: Eagles beat Hawks", "The Eagles beat the Hawks 21-14 on Friday night."),
 ("High school football: Eagles beat Tigers", "The Eagles beat the Tigers 28-10 on Friday night."),
 ("Library hours change", "The main library will close at 6 p.m. on weekdays starting next month."),
 ("Library hours change", "The west branch library will open at 9 a.m. on Saturdays starting next month."),
 ("Power outage reported downtown", "About 1,200 customers lost power downtown on Sunday afternoon."),
 ("Power outage reported in Eastgate", "About 800 customers lost power in Eastgate on Monday morning."),
]

def html(body):
    return "".join("<p>" + p.replace("&", "&amp;").replace("<", "&lt;") + "</p>" for p in body)

def curly(text):
    text = re.sub(r'"(\w)', "\u201c\\1", text)
    text = text.replace('"', "\u201d").replace("'", "\u2019")
    return text

def straight(text):
    return (text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u2014", "--").replace("\u2013", "-"))

def cloak_emails(text):
    return re.sub(r"[\w.]+@[\w.]+", "[email protected]", text)

HEADLINES = ["Agency targets sanctuary state with new subpoenas", "Council passes budget, adds evening buses",
             "Lake hits four-decade low amid dry spell", "Union wins vote at valley's largest hospital",
             "Harbor Street sourdough takes top national prize", "Justices order new congressional districts",
             "Thousands flee as fire nears Pine Ridge", "Tuition to rise at Central State",
             "Harborview's first female chief to step down", "Shade trees keep neighborhoods cooler, study finds",
             "Island Queen back in service", "Battery plant coming to Elmwood"]

pairs = []
def add(kind, same, a_title, a_html, b_title, b_html):
    pairs.append({"id": len(pairs) + 1, "kind": kind, "same": same,
                  "a": {"title": a_title, "html": a_html}, "b": {"title": b_title, "html": b_html}})

for i, art in enumerate(A):
    body = art["body"]
    full = html(body)
    # syndicated copy with a new headline
    add("changed-headline", True, art["title"], full, HEADLINES[i], full)
    # the same copy with the outlet's boilerplate appended
    add("appended-boilerplate", True, art["title"], full, art["title"],
        full + html([BOILER_LICENSE, BOILER_DONATE, BOILER_COMMENTS]))
    # boilerplate stripped: the original carried an agency footer
    add("stripped-boilerplate", True, art["title"], full + html([BOILER_LICENSE]), HEADLINES[i], full)
    # a one-paragraph RSS description against the full text
    add("summary-vs-full", True, art["title"], html(body[:1]), art["title"], full + html([BOILER_DONATE]))
    # curly quotes, cloaked e-mail addresses, dashes: republishing artefacts
    add("punctuation-artefacts", True, art["title"], html([curly(p) for p in body] + [BOILER_LICENSE]),
        straight(art["title"]), html([straight(p) for p in body] + [cloak_emails(BOILER_LICENSE)]))
    # a lightly edited copy: last paragraph cut, a sentence of local context added
    add("edited-copy", True, art["title"], full, HEADLINES[i],
        html(body[:-1] + ["This story was provided by a partner news organization and has been edited for length."]))

# A copy whose paragraphs all begin elsewhere: an agency dateline before the lede and the text re-flowed into
# paragraphs of other lengths (a different CMS), so paragraph openers rarely match and the MinHash bands must find it
def reflow(body):
    sentences = [s for p in body for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])", p) if s]
    sentences[0] = "NORTHFIELD (Partner News) \u2014 " + sentences[0]
    out, cur = [], []
    for s in sentences:
        cur.append(s)
        if len(cur) == (2 if not out else 3):
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out

for i, art in enumerate(A):
    add("reflowed-with-dateline", True, art["title"], html(art["body"]), HEADLINES[i], html(reflow(art["body"])))

# Hard negatives: different stories (every pair of distinct articles, each with the same outlet boilerplate half the time)
for i in range(len(A)):
    for j in range(i + 1, len(A)):
        extra = [BOILER_DONATE, BOILER_COMMENTS] if (i + j) % 2 == 0 else []
        add("different-story", False, A[i]["title"], html(A[i]["body"] + extra), A[j]["title"], html(A[j]["body"] + extra))

# Follow-ups on the same topic
for i, follow in FOLLOWUPS:
    add("follow-up", False, A[i]["title"], html(A[i]["body"]), follow["title"], html(follow["body"]))
    add("follow-up-summary", False, A[i]["title"], html(A[i]["body"][:1]), follow["title"], html(follow["body"]))

# Press-release boilerplate shared by different stories
releases = [
    ("Northfield Energy to replace 1,200 utility poles", ["Northfield Energy said Monday it will replace 1,200 aging wooden utility poles along rural routes in the eastern county this year, part of a $30 million reliability program.", "The work will cause short planned outages, and customers will be notified at least 48 hours ahead."]),
    ("Northfield Energy opens solar farm near Dunmore", ["Northfield Energy opened a 40-megawatt solar farm near Dunmore on Thursday, enough to power about 7,000 homes on a sunny afternoon.", "The farm sits on 300 acres of former pasture leased from two families, and sheep will graze between the panels."]),
    ("Northfield Energy names new chief financial officer", ["Northfield Energy has named Laura Chen as chief financial officer, effective next month.", "Chen previously served as treasurer of a utility in the Midwest and replaces Mark Dorsey, who is retiring."]),
    ("Northfield Energy seeks rate increase", ["Northfield Energy asked state regulators on Tuesday for a 3.8 percent rate increase, which would add about $5 to the average monthly residential bill.", "The company said the money would pay for storm repairs and new transmission lines."]),
]
for i in range(len(releases)):
    for j in range(i + 1, len(releases)):
        add("shared-press-boilerplate", False, releases[i][0], html(releases[i][1] + [BOILER_PRESS]),
            releases[j][0], html(releases[j][1] + [BOILER_PRESS]))
for i in range(len(releases)):
    add("press-release-copy", True, releases[i][0], html(releases[i][1] + [BOILER_PRESS]),
        "Utility news: " + releases[i][0].lower(), html(releases[i][1]))

# Very short entries that look alike
for k in range(0, len(SHORTS), 2):
    (t1, s1), (t2, s2) = SHORTS[k], SHORTS[k + 1]
    add("short-lookalike", False, t1, html([s1]), t2, html([s2]))
for k in range(0, len(SHORTS), 2):
    (t1, s1), (t3, s3) = SHORTS[k], SHORTS[(k + 2) % len(SHORTS)]
    add("short-different", False, t1, html([s1]), t3, html([s3]))

# Roundups quoting the ledes of several stories, against each story and against each story's summary
for r in range(3):
    members = list(range(r * 4, r * 4 + 4))
    roundup_body = ["Here is what you need to know this morning."] + [
        "<b>" + A[m]["title"] + ".</b> " + A[m]["body"][0] for m in members] + ["That's all for today. See you tomorrow."]
    roundup = "".join("<p>" + p + "</p>" for p in roundup_body)
    for m in members:
        add("roundup-vs-story", False, "Morning briefing #" + str(r + 1), roundup, A[m]["title"], html(A[m]["body"]))
        add("roundup-vs-summary", False, "Morning briefing #" + str(r + 1), roundup, A[m]["title"], html(A[m]["body"][:1]))

# Different stories from the same feed format (title-only similarity)
for i in range(len(A)):
    j = (i + 5) % len(A)
    add("same-headline-different-story", False, A[i]["title"], html(A[i]["body"]), A[i]["title"], html(A[j]["body"]))

out = ROOT / "src/test/resources/stories/pairs.jsonl"
with out.open("w", encoding="utf-8") as f:
    for p in pairs:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
pos = sum(1 for p in pairs if p["same"])
print(f"{len(pairs)} pairs, {pos} positive, {len(pairs) - pos} negative -> {out.relative_to(ROOT)}")
