package checklists

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/scaffoldtool/scaffold/checklists/internal/lazyre"
)

// Guideline is what ParseGuidelines found in an agent guideline file.
type Guideline struct {
	File        string
	Name        string // from the front matter, when present
	Description string // from the front matter, when present
	Items       []Item
	Skipped     []Skipped
	// TooMany says the file offered more than MaxGuidelineItems items:
	// the rest were not read, and the file should not be used as it is.
	TooMany bool
}

// MaxGuidelineItems bounds the items one guideline file may offer. The
// longest agent files seen offer a few hundred; merging compares each item
// with every item before it, so a generated or concatenated file of tens of
// thousands would take minutes.
const MaxGuidelineItems = 3000

// maxItemText bounds one item's text, in bytes: the longest item of the
// corpus is under 600 characters.
const maxItemText = 4000

// Item is one guideline: a list item, a table row or an imperative sentence.
type Item struct {
	Line    int
	Section string // the headings and label above it, joined with " > "
	Title   string // the bold lead, or the first sentence
	Text    string // the whole item, Markdown removed
	// agent is why the heuristics read the item as the agent's own (its
	// section or label), when they let the content model decide instead
	// of skipping it: the model keeps it only when it is confident the
	// item is a rule of the code (contentModel.Rescue).
	agent string
}

// Skipped is a part of the file that is not a guideline, with the reason.
type Skipped struct {
	Line int
	Kind string // front matter, code block, example block, prose, label, ...
	Text string // a short excerpt
}

var (
	listRe     = lazyre.New(`^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$`)
	checkboxRe = lazyre.New(`^\[[ xX]\]\s+`)
	// A bold lead is a bold phrase that ends in a colon, is followed by a
	// colon or a dash, or stands alone; "**Never** use eval" is emphasis.
	boldLeadRe = lazyre.New(`^(?:\*\*|__)([^*_]+?:)(?:\*\*|__)\s*(.*)$|^(?:\*\*|__)(.+?)(?:\*\*|__)\s*(?:[:\-–—]\s*(.*))?$`)
	negativeRe = lazyre.New(`(?i)^(don'?t|do not|never|avoid|anti-?patterns?|forbidden|prohibited|banned|must not)\b`)
	fenceRe    = lazyre.New("^\\s*(`{3,}|~{3,})")
	tableSepRe = lazyre.New(`^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$`)
	openTagRe  = lazyre.New(`^\s*<([A-Za-z][\w-]*)[^>]*>`)
	// headingTagRe is a Markdown heading whose whole text is an XML-like tag
	// ("## <quality-standards>"), closeTagRe a line that only closes one.
	headingTagRe = lazyre.New(`^#{1,6}\s+<([A-Za-z][\w-]*)>\s*$`)
	closeTagRe   = lazyre.New(`^</[A-Za-z][\w-]*>$`)
	linkRe       = lazyre.New(`!?\[([^\]]*)\]\([^)]*\)`)
	emphRe       = lazyre.New(`(\*\*|\*)(\S(?:.*?\S)?)(\*\*|\*)`)
	// inlineTag is inline HTML kept for rendering ("<a id="G-SEC-1"></a>").
	inlineTag  = lazyre.New(`</?(?i:a|span|br|sup|sub|b|i|em|strong|kbd)\b[^>]*>`)
	imperative = lazyre.New(`^(?i)(always|never|do not|don't|avoid|ensure|must|prefer|make sure|use|write|keep|add|return|validate|log|check|verify|document|handle|test|run|put|set|store|hash|limit|require|include|implement|follow|apply|reject|sanitize|sanitise|encrypt|rotate|pin|retry|separate|design|treat|give|name|mock|stub|remove|enforce|indent|throw|raise)\b`)
	agentUse   = lazyre.New(`^(?i)use (this|the) (agent|assistant|tool|checklist|file|guide|document|template|skill)\b`)
	ruleWords  = lazyre.New(`^(?i)you (always|never|proactively|must|should)\b|\b(always|never)\b`)
	// "Common Use Cases" over "### 1. Fix a Slow Dashboard Query" with its
	// "**Who**:", "**Prompt**:" and "**Output**:" lines shows people using
	// the agent, as "Examples" does.
	exampleHead = lazyre.New(`(?i)^(examples?|sample|usage examples?|(common |typical |example )?use cases|usage scenarios)\b`)
	// patternsToFollow is a heading that puts patterns or conventions to
	// follow beside its examples ("Examples & patterns to mirror"): what it
	// lists is to be done as the examples do, rules, not examples.
	patternsToFollow = lazyre.New(`(?i)\b(patterns?|conventions?|rules?)\b.*\bto (mirror|follow|copy|match|keep)\b`)
	exampleLead      = lazyre.New(`(?i)^(examples?( [\w-]+)?|e\.g\.|for example|for instance|context|user|assistant|commentary|good|bad|correct|incorrect|(sample |example )?prompt( suggestion| example| template)?s?)\s*[:,]`)

	// Sections about the agent rather than the code: its own workflow, how
	// it coordinates with people and other agents, the format of its
	// reports, the tools and technologies it knows. A reviewer has nothing
	// to check there.
	agentSections = []struct {
		re     *lazyre.Regexp
		reason string
	}{
		{lazyre.New(`(?i)\b(workflows?|methodolog(y|ies)|process(es)?|how (you|i|to) work|working style|when invoked|when activated|execution steps|procedures?)\b|^approach$|^execution( \(.*\))?$|^steps$|\b(implementation|general|overall|working|development|my|our|your|systematic) approach\b|\bprogress (tracking|reporting|updates?)\b`), "the agent's own workflow"},
		// What the agent is for, and what it ticks off before it says it is
		// done ("Checklist Before Completing"); "Testing Approach" and
		// "Review Checklist" hold rules.
		{lazyre.New(`(?i)^((your|primary|main|key) )?responsibilit(y|ies)$|\bbefore (completing|finishing|submitting|you (finish|complete|submit))\b|^before (making |you make |starting )?(any )?(code )?(changes?|edits?)$|\bdefinition of done\b`), "the agent's own workflow"},
		{lazyre.New(`(?i)\b(communicat\w*|collaborat\w*|coordinat\w*|hand-?offs?|delegat\w*|escalat\w*|integration with|other agents|working with)\b`), "communication and coordination with other agents"},
		// "Output", "Review Output Format", "Database Review Report"; not
		// "Error Responses", which are the service's.
		{lazyre.New(`(?i)(^|\b(expected|final|review|audit|your|agent'?s?|analysis|security|summary)\s+)(output|report|response|answer)s?( format| structure| template)?$|\b(output|report|response) (format|structure|template)\b|\bdeliverables?\b|^outputs? (expectations?|guidelines|rules|conventions|style)$|^(review|summary|final) (comments?|decisions?|verdicts?|recommendations?)$|^(output|report|response|answer)s? ?(/|&|and|or) ?(output|report|response|answer)s?$`), "the format of the agent's output"},
		{lazyre.New(`(?i)^(available )?(tools?|tooling|technologies|tech stack|(technology|technical) stack( expertise| knowledge)?|stack|expertise|skills|capabilities|core competenc\w*|knowledge( areas?)?|proficienc\w*|areas of expertise|specializations?)$|(^|[^\w-])mcps?($|[^\w-])|\btool (suite|integration)s?\b|^focus areas?$|^(core|key|primary) (expertise|skills|competenc\w*|focus)$|^(\w+ )?expertise$|^expertise areas?$|^knowledge base$|^(key|core|main|primary) technologies$`), "a list of tools or technologies"},
		// "Interaction Pattern", "Target Processes": how the agent is used.
		{lazyre.New(`(?i)^interaction (pattern|model|flow)s?$|^target process(es)?$`), "the agent's own workflow"},
		{lazyre.New(`(?i)\bintegration points\b`), "communication and coordination with other agents"},
		// When the agent is started, not what it checks ("When Jarvis Calls
		// This Agent").
		{lazyre.New(`(?i)\b(automatic )?triggers?( conditions)?\b|\bwhen (it|this agent|the agent) runs\b|\bwhen to (use|invoke|apply)\b|^when\b.*\b(calls?|invokes?|uses?|starts?|runs?|spawns?)\b.*\b(this|the) (agent|subagent|skill)$`), "when the agent is started"},
		// Who the agent is ("Persona", "Role" as a tag of its own), what it
		// covers and leaves to others ("Domain Scope"), how it corrects
		// itself, and the skills it loads.
		{lazyre.New(`(?i)^(team )?(persona|role|identity|mission|mindset|character|objectives?)$`), "the agent's persona"},
		// Where the agent says it comes from and what it has done
		// ("Backstory & Heritage", "Notable Achievements", "Background"),
		// and how it keeps learning: its biography, nothing to check.
		{lazyre.New(`(?i)^(backstory|background|heritage|biography|origins?|track record)( (&|and) (backstory|background|heritage|biography|origins?))?$|^(notable |key |past )?(achievements|accomplishments|career highlights)$|^continuous (learning|improvement|growth)$|^(learning|growth) (mindset|path)$`), "the agent's persona"},
		// "The Protocol:", "Read First", "Done Criteria": how the agent
		// works, what it reads before it starts and when it stops.
		{lazyre.New(`(?i)^(the )?protocol:?$|^read (this )?first$|\bdone criteria\b`), "the agent's own workflow"},
		// How the agent thinks and keeps itself safe ("Cognitive Protocol
		// (Chain of Thought)", "Safety Protocols"), and what to do when
		// something fails ("Troubleshooting").
		{lazyre.New(`(?i)\b(cognitive|thinking|reasoning|safety|operating|working|agent'?s?) protocols?\b|\bchain[- ]of[- ]thought\b|^when (something|things) (fails?|breaks?|goes wrong)$`), "the agent's own workflow"},
		{debuggingSection, "the agent's own workflow"},
		// Which kinds of change the agent may make on its own and which it
		// must have confirmed ("Category 2: Medium Risk (Require
		// Confirmation)", "Safe Changes (Auto-approve)"): its permissions,
		// listed as kinds of change, not what the code must do.
		{approvalSection, "how the agent gets a change approved"},
		// What the project has done so far ("Performance Status",
		// "Implementation Status"): a progress report, and how people reach
		// the production systems ("Production DB Access").
		{statusSection, "a report of the project's progress"},
		{productionAccess, "how people reach the production systems"},
		// "Tool Usage Best Practices", "Edit Tool": how the agent uses its
		// tools.
		{lazyre.New(`(?i)\btools? (usage|use|strateg(y|ies)|orchestration|selection)\b|^[\w-]+ tool$`), "a list of tools the agent uses"},
		// "Usage Notes" of a template: how to adapt the file.
		{lazyre.New(`(?i)^usage( notes| instructions)?$|^how to use( this (file|template|guide))?$`), "the file itself, not the code"},
		// "Repository Scope", "What This Repository Owns": which code the
		// agent may touch, not what the code must do.
		{lazyre.New(`(?i)^(domain|review|agent'?s?|strict|hard|your|my|role|tools?|repository|repo) (scope|boundaries|permissions)$|\bself[- ]correction\b|^what (this|the) (repository|repo|codebase) (covers|owns|holds)$`), "the agent's own workflow"},
		{lazyre.New(`(?i)\bskills?\b.*\b(activation|loading|protocol)\b|^available skills\b|\bfile patterns$`), "a list of tools the agent uses"},
		// Sections about the agents themselves ("Agent Logging", "Agent
		// Roles"): a heading of one or two words that starts with "Agent".
		{lazyre.New(`(?i)^agents?( \w+)?$`), "the agent's own workflow"},
		// What the agent must have reached when it is done. A "Summary" is
		// not skipped whole: its items restate rules above (and merge into
		// them) or add one the file says nowhere else, which a weak match
		// must not drop.
		// "Reviewer Responsibilities", "Author Responsibilities", "Comment
		// Types": how people review a change and word their comments, not
		// what the code must do ("Review Checklist" holds rules).
		{lazyre.New(`(?i)^(code )?(reviewers?|authors?|submitters?|approvers?)'?s? (responsibilit(y|ies)|duties|etiquette)$|^(review )?comment (types|prefixes|labels|conventions)$`), "the review process, not the code"},
		{lazyre.New(`(?i)^success criteria$`), "a summary of the rules above"},
		// How the agent words its review, not what the code must do.
		{lazyre.New(`(?i)\b(review|feedback) (principles|language|tone|style|metrics)\b|\bprompt(ing)? (engineering|tips)\b|\blanguage( standard)?$`), "how the agent writes its review"},
		// What the agent does once it has reviewed.
		{lazyre.New(`(?i)\b(post|pre)-?review\b|\b(after|before|during) (the |each |every )?(code )?review(ing)?\b|\bafter completion\b|\bnext steps\b|\bstop (conditions?|criteria)\b|^when to stop\b`), "the agent's own workflow"},
		// How the agent rates what it reviewed ("Scoring Guide").
		{lazyre.New(`(?i)\bscoring( guide| rubric| scale)?\b|\brating (scale|guide|rubric)\b`), "the format of the agent's output"},
		// How the agent behaves and answers ("AI Behavior", "Interaction
		// Settings").
		{lazyre.New(`(?i)\b(ai|assistant|agent|model|claude|copilot) behaviou?r\b|^(general )?behaviou?rs?$|^interaction (settings|style|guidelines)$|^(response|answer) (style|language|tone)$`), "how the agent behaves and answers"},
		// Pointers to other agents, skills and reading.
		{lazyre.New(`(?i)^(suggested |related |further |additional )?(resources|reading|links|references?)$|^see also$|^knowledge sources?$`), "pointers to other material"},
		// "What You DON'T Do": the agent's conduct, said of itself.
		{lazyre.New(`(?i)^what (you|i|the agent|this agent) (do|don'?t do|do not do|never do|won'?t do|will not do|avoid)$`), "how the agent behaves and answers"},
		// What the agent takes on and leaves to others, and in which order
		// ("What This Session Covers", "Not Your Work", "Task
		// Prioritization"): its share of the work, not what the code must do.
		{lazyre.New(`(?i)^(not )?your (work|job|tasks?|domain)$|^what (this|the|your) (session|agent|role) (covers|handles|owns|does)$|^what you (should )?(handle|own|cover)$|^(task|work) priorit(y|ies|i[sz]ation)$|^what comes first$`), "the agent's own workflow"},
		// How the agent tracks its own work ("Ticket management").
		{lazyre.New(`(?i)\btickets?\b|\btask (management|tracking)\b|\bissue tracking\b`), "the agent's own workflow"},
		// Sections about the file itself: what it is for, how its rules are
		// numbered and worded, how they are enforced, where they do not
		// apply, and its closing words.
		{lazyre.New(`(?i)^(meta|metadata|purpose|scope|format( invariants| rules)?|about this (file|document))$|^(overrides?|precedence|scope (and|&) precedence|instruction precedence)$`), "the file itself, not the code"},
		{lazyre.New(`(?i)^(project )?(overview|identity|snapshot|description|context)$|^(project|system|application|app) architecture$`), "a description of the project"},
		{lazyre.New(`(?i)^enforcement$`), "how the rules are enforced, not a rule"},
		{lazyre.New(`(?i)^exceptions?$`), "the exceptions to a rule, not a requirement"},
		{lazyre.New(`(?i)^(final|wrap-?up|closing( words)?|conclusion)$`), "a summary of the rules above"},
		{lazyre.New(`(?i)^output requirements?$|^for (each|every) (finding|issue|vulnerability|problem|violation)\b.*\b(provide|give|include|report|list):?$`), "the format of the agent's output"},
		// A heading that is only the agent's verb ("Evaluate", "Assess")
		// over what it looks at, and a phase named after its own activity
		// ("Phase 1: Discovery").
		{lazyre.New(`(?i)^(evaluate|assess|consider|analy[sz]e|think about|look at)$|^(phase|step|stage) \d+[.:)]?\s*[-–—:]?\s*(discovery|reconnaissance|recon|preparation|planning|analysis|reporting|report|handoff|hand-off|wrap-up|follow-up)$`), "the agent's own workflow"},
		// What the agent asks for before it starts ("Required Inputs
		// (request if missing)") and how it goes about its own work
		// ("Operating Principles").
		{lazyre.New(`(?i)^(required |expected )?inputs?( \(.*\))?$|\b(request|ask for) (it |them )?if missing\b`), "what the agent asks for before it starts"},
		{lazyre.New(`(?i)^(operating|working) (principles|rules|mode|agreements?)$|^(\S+ )?(insertion|review|reporting|handoff|hand-off|update|todo|session|commenting|annotation) protocols?$|^(response|interaction|engagement|escalation) protocols?$|\bdecision framework\b|\bwhen to engage\b|\btask acceptance\b|\bwhat not to handle\b|\bwhen to escalate\b|^(pre|post)-?(work|task)$`), "how the agent goes about its own work"},
		// What the agent produces ("Key Outputs", "Output Standards") and
		// what it remembers between sessions ("Memory Integration").
		{lazyre.New(`(?i)^(key |main |primary |expected )?(outputs|deliverables)$|\boutput (standards|quality|criteria)\b`), "the format of the agent's output"},
		{lazyre.New(`(?i)^memory\b|\bmemory (integration|queries|management|created)\b|\bon activation\b|\bauto-?(load|save)\b`), "what the agent remembers between sessions"},
		// How to set up a machine to work on the project, and what the
		// project holds now ("Current Project Structure", "Current Models").
		{lazyre.New(`(?i)^(environment|local|development|dev) (and|&) setup$|^(local|development|dev|environment) (environment )?setup$|^setup (and|&) (environment|installation)$|^getting started$|^installation$|^quick ?start$`), "setting up a machine to work on, not a check"},
		{lazyre.New(`(?i)^(key|main|available|existing|core) (api )?endpoints$|^current\b|^((common|key|important) )?(directory|folder|file) (structure|layout|tree|locations|map)$|\bground[- ]truth\b|^(project|repository|repo) (notes|facts)$`), "a description of the project"},
		// What people do once a secret has leaked ("If Secrets Are
		// Accidentally Exposed", "Incident Response"): a procedure, not a
		// property of the code.
		{lazyre.New(`(?i)^(if|when|after)\b.*\b(exposed|leaked|compromised|breached)$|\bincident response\b|\b(incident|emergency|outage) (protocols?|procedures?|playbooks?|runbooks?|response|handling)\b|^emergenc(y|ies)$`), "what people do after an incident, not a check of the code"},
		// How the contributor commits, branches and pushes ("Git & Version
		// Control", "Commits and Pull Requests").
		// Also with a kind of rule after it ("Git & Safety Rules
		// (CRITICAL)") and the repository's branch protection (round 57).
		{lazyre.New(`(?i)^(git|version control|source control|vcs|branching|branches|commits?|commit messages|pull requests?|prs?)( (&|and|/) (git|version control|source control|branching|branches|commits?|pull requests?|prs?|workflow|safety))*( (rules|conventions|guidelines|policy|hygiene))?( \([^)]*\))?$|^branch protection( rules)?$`), "commits and branches, not the code"},
	}
	// The sections above that a numbered bold title over nested bullets
	// can open as well as a heading ("14. **Debugging / Troubleshooting**"
	// over "- Run `docker compose logs`"): see agentReason.
	debuggingSection = lazyre.New(`(?i)^(debugging|troubleshooting)( (/|&|and) (debugging|troubleshooting))?$`)
	approvalSection  = lazyre.New(`(?i)\bauto-?approv\w*\b|\bdecision authority\b|\brequires? (explicit |user |human )?(confirmation|approval|sign-?off)\b|\b(confirmation|approval|sign-?off) required\b|\bstep-by-step required\b`)
	statusSection    = lazyre.New(`(?i)^(project|implementation|performance|optimi[sz]ation|migration|development|build|feature|current) status$`)
	productionAccess = lazyre.New(`(?i)^(production|prod|remote) (db |database |server |system )?access$`)
	titleSections    = []*lazyre.Regexp{debuggingSection, approvalSection, statusSection, productionAccess}
	// A "Label:" line can say the same of the list after it, in narrower
	// words than a heading: "approach" or "methodology" under a label often
	// heads a list of rules ("Testing methodology:").
	agentLabels = []struct {
		re     *lazyre.Regexp
		reason string
	}{
		{lazyre.New(`(?i)^(after|before) (each|every|the) review\b|^before (you )?(mark|marking|complete|completing|finish|finishing|submit|submitting)\b|\bwhen (invoked|activated|called)\b|\bquestions to ask\b|\b(status update|progress (tracking|reporting))\b|^agents?\b|\brun by the agent\b|\bhanded off\b`), "the agent's own workflow"},
		// "Use these rules when:" lists the occasions the file is read on.
		// "Call It For:" lists the work the agent is called for.
		{lazyre.New(`(?i)^(use|apply|read|reference|invoke|consult) (these|this|the)\b.*\bwhen$|^triggers?$|^(call|use|invoke) (it|me|this agent|the agent) (for|when)$`), "when the agent is started"},
		// "READ_FIRST:" over the files the agent opens before it starts;
		// "**Next Steps for the User:**", "Current Status:" over the work
		// still to do and done: a to-do list, as the same words head one.
		{lazyre.New(`(?i)^read[ _-]?first$|\bnext steps\b|^current (status|state)$`), "the agent's own workflow"},
		// "Appropriate for:", "Best for:", "Decision heuristic:" over the
		// cases that suit one option: when to choose it, not a check.
		{choiceLabel, "when to choose an option, not a check"},
		// "Write the backend assuming that:" lists assumptions, not checks.
		{lazyre.New(`(?i)^(assume|assuming|assumptions?)\b|\bassuming that$`), "what the file assumes, not what to check"},
		{lazyre.New(`(?i)\bintegration with\b|\bother agents\b|\bcoordinat\w*|\bdelegat\w*|\bhand-?offs?\b`), "communication and coordination with other agents"},
		{lazyre.New(`(?i)^usage( notes| instructions)?$|^if you (hit|run into|encounter|have|see) (problems|issues|errors|trouble)\b`), "the file itself, not the code"},
		// "When something goes wrong:", "When encountering issues:" over
		// what the agent checks and tells: its troubleshooting, as the same
		// words head it.
		{lazyre.New(`(?i)^when (something|things|anything) (fails?|breaks?|goes wrong)$|^when (encountering|hitting|you (hit|encounter|run into)) (problems|issues|errors|trouble)$`), "the agent's own workflow"},
		{lazyre.New(`(?i)\b(focus areas?|frameworks|expertise|competenc\w*|technologies|specializations?|specialities|tech stack)$`), "a list of topics or technologies the agent knows"},
		{lazyre.New(`(?i)\btrack and report\b|\b(output|report|response) (format|structure|template)\b`), "the format of the agent's output"},
		// "For every vulnerability, give:", "Also give an executive summary
		// with:": what the agent's report holds.
		{lazyre.New(`(?i)^(for (each|every) [\w -]+,\s*)?(also )?(give|provide|report|include)\b`), "the format of the agent's output"},
		// "Gives complete database solutions with:": the agent, unnamed,
		// describing what it hands back.
		{lazyre.New(`(?i)^(gives|provides|delivers|produces|returns|outputs|offers)\b`), "the format of the agent's output"},
		// "Each agent entry gives:" explains the file's own layout.
		{lazyre.New(`(?i)^(each|every) (agent|entry|agent entry|section|rule entry|file)\b.*\b(gives|lists|outlines|has|contains|includes|describes)$`), "the file itself, not the code"},
		// "Think like a senior engineer who:", "Your focus:", "You handle:",
		// "Leave to specialists:", "When searching for backend code:".
		{lazyre.New(`(?i)^(think|act|behave) (like|as)\b|^your (focus|mission|role|job|expertise)\b|^you (don'?t |do not )?(handle|own|cover)\b`), "the agent's persona and scope"},
		// "You keep learning by:", "You are known for:": the agent
		// describing itself, with no modal to make it a rule.
		{lazyre.New(`(?i)^you (are|were)\b|^you\b[\w ]*\b(by|through|via|for)$`), "the agent's persona and scope"},
		{lazyre.New(`(?i)\bwithout (the user'?s |explicit |prior |written )*(approval|confirmation|permission|consent)\b|\bneeds? (a |an |the user'?s |explicit )*(confirmation|approval|permission|sign-?off)\b|^(leave|defer|hand over) (\w+ )?to\b|^when (searching|looking|exploring|reading)\b|^how to (verify|check|review)$|^ask (first|before)\b|^before (working|starting|you (start|begin|work))\b|\bread (the|these) [\w ]*\b(docs|documents|files)\b`), "the agent's own workflow"},
		{lazyre.New(`(?i)^(mcp )?tools?( suite| integration)?$|(^|[^\w-])mcps?($|[^\w-])|^(skills?|commands?|tools?)( \(.*\))?$`), "a list of tools the agent uses"},
		// "Process:" over numbered steps, and what the agent does "When
		// told to update build-manifest.json, ... Include:".
		{lazyre.New(`(?i)^((the|your|our|review|audit) )?(process|workflow|procedure|steps)( \(.*\))?$|^when (told|asked|instructed|requested|prompted) to\b|^(this|the) (agent|skill|subagent|assistant)\b`), "the agent's own workflow"},
	}
	// systemMeans is the agent, as "you", building or securing the
	// system "through:" what the list names ("You set up thorough
	// monitoring through:", "You make sure systems scale through:"): the
	// list holds the system's means, not the agent's habits ("You keep
	// learning by:") or its own process ("You run incident response
	// with:").
	systemMeans = lazyre.New(`(?i)^you\b[\w ]*\b(build|implement|set up|make sure|ensure|design|secure|harden|scale)\b[\w ]*\b(systems?|services?|monitoring|apis?|applications?|apps|infrastructure|databases?|backends?)\b[\w ]*\b(through|via|by)$`)
	// defectLabel is a label that makes the entries below it defects to
	// look for ("Report these as security issues:", "Flag the following as
	// bugs:"): the reviewer checks the code for each, whatever the report
	// then says.
	defectLabel = lazyre.New(`(?i)^(report|flag|treat|mark|raise|call out)( all| any( of)?)? (these|the following|them|such (cases|patterns|code))( \w+)? as( \w+){0,2} (issues|problems|findings|defects|vulnerabilities|bugs|risks|blockers)$`)
	// guidanceLabel is a label that heads rules about the code or the
	// service ("Readiness checklist:", "Webhook design:"): it reopens
	// guidance inside a section about the agent's workflow, whose phases
	// often carry such lists.
	guidanceLabel = lazyre.New(`(?i)\b(checklist|requirements?|standards?|rules|guidelines|conventions|best practices|design|configuration|management|observability|monitoring|operations|handling|security)\b`)
	// requirementContext: under such a label or heading a short noun
	// phrase is a requirement ("Rate limiting implementation" = rate
	// limiting is in place), not a topic.
	// stateLabel heads the states a part of the service must reach ("API
	// excellence:" over "Rate limiting active", "Database excellence:"
	// over "Migrations automated"): a checklist of that part, inside the
	// agent's workflow or not. "Excellence checklist:" already says
	// checklist.
	stateLabel = lazyre.New(`(?i)^[\w/&, -]+ excellence:?$`)
	// logLabel says what the service logs or keeps out of its logs ("What
	// to Log:", "What NOT to Log:", "Never log:"): a short noun phrase under
	// it ("Authorization failures", "Passwords or tokens") is an event or a
	// value the logs must hold or must not, not a topic.
	logLabel = lazyre.New(`(?i)^(what (not )?to log|(never|do not|don'?t) log|must not be logged|never logged|always log|log these( events)?)\b[^:]*:?$`)
	// controlLabel heads a menu of security measures ("Authentication and
	// security:", "Security practices:"): there a short noun phrase that
	// names a control (controlNoun: "Rate limiting", "Security headers",
	// "CORS configuration") is one to have, not a topic to think about;
	// an area ("Session management", "Input validation", "API security")
	// stays a topic.
	controlLabel = lazyre.New(`(?i)\bsecurity\b`)
	controlNoun  = lazyre.New(`(?i)\b(rate[- ]limit\w*|throttl\w*|cors|csrf|xss|csp|hsts|(security )?headers|api[- ]keys?|role[- ]based|rbac|scopes?|mfa|secure cookies|https)\b`)
	// teamState is a state of the people, not of the service ("Team
	// trained", "Team training complete", "Engineers onboarded"): an
	// excellence checklist's last line, nothing in the code to hold.
	teamState = lazyre.New(`(?i)^(the )?(team|engineers|developers|staff)( members)?( training)? (trained|training complete|onboarded|enabled|upskilled)\.?$`)
	// mechanismNoun names a mechanism, technique or artifact a reviewer can
	// find in the code or its configuration: a menu entry built on one
	// ("Circuit breaker patterns", "Retry with backoff", "Connection
	// pooling setup", "Audit logging", "Point-in-time recovery") asks for
	// it, anywhere, not only under a security label. areaHead is a last
	// word that names an area, a quality or a discipline ("Secret
	// management", "Index strategy design", "Query optimization",
	// "Replication monitoring", "Network security"): whatever its
	// modifier, such an entry stays a topic unless it names a control
	// (namedControl: "Row-level security").
	mechanismNoun = lazyre.New(`(?i)\b(circuit[- ]breakers?|backoff|retry polic(y|ies)|timeouts?|deadlines?|bulkheads?|rate[- ]limit\w*|throttl\w*|backpressure|health[- ]?checks?|readiness|liveness|graceful (shutdown|degradation)|fallbacks?|idempoten\w*|dead[- ]letter|outbox|connection pool\w*|worker pools?|pooling|pagination|migrations?|failover|read replicas?|(streaming|logical) replication|replication lag|point[- ]in[- ]time recovery|pitr|wal archiving|backups? (verification|validation|testing|restore)|restore tests?|recovery testing|retention polic(y|ies)|audit (logs?|logging|trails?)|structured logging|log (centrali[sz]ation|aggregation)|distributed tracing|error tracking|slos?|slis?|error budgets?|runbooks?|feature flags?|(automated|automatic) rollback|rollback procedures?|failover procedures?|encryption|encrypted|m?tls|ssl|row[- ]level security|network polic(y|ies)|resource limits|connection limits|autoscal\w*|secret rotation|key rotation|service discovery|api versioning|exception handlers|security headers|cors|csrf|prepared statements?|parameteri[sz]ed queries|authentication middleware|sentinel errors|wrapped errors|fuzzing|race detector|golden files|table[- ]driven tests?|functional options|explain( analy[sz]e)?|slow query)\b`)
	areaHead      = lazyre.New(`(?i)\b(management|design|optimi[sz]ation|strateg(y|ies)|best practices|architecture|approach(es)?|planning|tuning|analysis|principles?|methodolog(y|ies)|considerations?|concepts?|understanding|fundamentals|overview|monitoring|security|performance|standards|topolog(y|ies)|expertise|mastery)$`)
	// protectionHeading is a part of a capabilities list titled by a
	// protection of the service or the defects it guards against ("CSRF
	// Protection", "Database Security", "Vulnerability Patterns",
	// "General Secure Coding Practices").
	protectionHeading = lazyre.New(`(?i)\b(security|secure|protection|prevention|hardening|vulnerabilit(y|ies))\b`)
	// storedProcedure is the database object, not a procedure to follow.
	storedProcedure    = lazyre.New(`(?i)\bstored procedures?\b`)
	requirementContext = lazyre.New(`(?i)\b(checklist|criteria|requirements?|standards?|rules|must haves?|must prevent|prevent|invariants?|best practices)\b`)
	// topicHead marks a phrase that names a kind of thing to think about
	// ("Caching strategy for performance", "Saga pattern for transactions")
	// rather than a property the code must have.
	topicHead = lazyre.New(`(?i)\b(strateg(y|ies)|considerations?|patterns?|approach(es)?|measures|mechanisms?|techniques?|principles?|architecture|setup|planning|capabilit(y|ies)|concepts?|fundamentals|overview)\b`)
	// qualityLead is a first word that names a property the code must have
	// ("Idempotent message handlers", "Versioned migration scripts").
	qualityLead = lazyre.New(`(?i)^(consistent|idempotent|versioned|signed|encrypted|hashed|meaningful|bounded|paginated|parameteri[sz]ed|authenticated|validated|unique|maximum|minimum|secure|no|every|all)\b`)
	// stateEnd is a last word that says a thing is done ("Rate limiting
	// configured", "Backups encrypted"): a state to check, not a topic.
	stateEnd = lazyre.New(`(?i)\w{3,}ed( (up|down|out|off|away|back))?$|\b(set|done|built|written|complete|enforced|in place|used)$`)
	// topicContext is a label or heading that lists kinds of approach
	// ("Performance optimization techniques:", "Microservices patterns:"):
	// under it an item must say something to check (a verb, a state, a
	// figure), or it only names one more approach.
	topicContext = lazyre.New(`(?i)\b(techniques|patterns|strategies)$`)
	// phaseLabel is a line that names a phase of the agent's method
	// ("Phase 3 Runtime & Kubernetes"); phaseActivity are the words of a
	// phase named after the agent's own activity ("Inventory & Baseline")
	// rather than after a part of the system.
	phaseLabel    = lazyre.New(`(?i)^(phase|step|stage)\s+\d+[.:)]?\s*[-–—:]?\s*(\S.*)$`)
	phaseActivity = lazyre.New(`(?i)^(inventory|baseline|discovery|reconnaissance|recon|context|gathering|information|preparation|initial|assessment|analysis|planning|plan|implementation|execution|delivery|handoff|hand-off|report|reporting|review|verification|validation|documentation|wrap-up|follow-up|setup|kickoff|final|audit|investigation|triage|research|understanding|requirements|and|&|the|of|\+)$`)
	// commandHeading is a heading over the project's commands ("Build /
	// Lint / Test", "Common Commands"): an item there that holds code is a
	// command to run, not a check.
	commandHeading = lazyre.New(`(?i)^((build|lint(ing)?|test(s|ing)?|run(ning)?|format(ting)?|type-?check(ing)?|install|setup|deploy)\s*(/|&|,|and)\s*)+(build|lint(ing)?|test(s|ing)?|run(ning)?|format(ting)?|type-?check(ing)?|install|setup|deploy)$|\bcommands$`)
	// namesOnly is a label over nothing but two or more code spans ("API
	// Keys: `api_key`, `apikey`"): a list of names to look for, not a rule.
	namesOnly = lazyre.New("^(?:\\*\\*[^*]+\\*\\*:?|[^:`*]{1,40}:)\\s*(`[^`]+`\\s*(?:,|or|and|/)?\\s*){2,}[.;]?$")
	// textBox is a checkbox drawn in a plain-text block ("[ ] Restore
	// tested monthly").
	textBox = lazyre.New(`^\s*(?:\[[ xX]\]|[✓✔✗✘])\s+(\S.*)$`)
	// boldLabelItem is a list item that is only a bold phrase and a colon.
	boldLabelItem = lazyre.New(`^(?:\*\*|__)[^*_]+(?:\*\*|__):\s*$`)
	// repoFact says what the repository does not hold ("There are no
	// Cursor or Copilot rules in this repo"): a fact, not a rule.
	repoFact = lazyre.New(`(?i)^there (is|are) (no|not any)\b.*\bin this (repo|repository|project|codebase)\.?$|^[\w ]{0,30}\b(rules|instructions)\b[\w ]*: (none|not (found|present))\b`)
	// workstation describes the machine the developer or the agent works
	// on ("The development machine runs Windows 11 with Go 1.24"): a fact
	// of the workstation, nothing the code or the service must hold.
	workstation = lazyre.New(`(?i)^(the |our |my |your )?(development|dev|local) (machine|environment|box|workstation|computer|laptop|os)s? (is|are|runs?|uses?|has)\b|^(the )?(database|db|backend|api|app|server|service|cache|redis|postgres(ql)?)( \w+)? runs? (under|in|with|via|on) docker[- ]?compose\b|^(reach|access|open|browse to|visit) (the )?(backend|api|app|frontend|service|server|ui)\b.*\b(localhost|127\.0\.0\.1|\.localhost)\b`)
	// incidentStep is a step taken once a secret has leaked ("Rotate an
	// exposed key at once"): a procedure for people, not a check.
	incidentStep = lazyre.New(`(?i)\b(exposed|leaked|compromised)\b.*\b(immediately|at once|right away)\b`)
	// checkable marks a state or a figure ("moved to a queue", "under 100 ms").
	checkable = lazyre.New(`(?i)\w{3,}ed\b|\d+\s*(ms|s|%|mb|kb|seconds?|minutes?|hours?|days?|lines|levels|requests)\b`)
	// puffery is a participle and an adverb of thoroughness ("Controls
	// assessed thoroughly", "Authorization granular"), or targets met that
	// it does not name ("Performance targets met", "Reliability assured"):
	// it says how well, not what.
	puffery = lazyre.New(`(?i)^[\w-]+( [\w-]+)? (targets|goals|objectives|expectations) (met|achieved|reached)$|^[\w-]+ assured$|^\w+ (comprehensive|thorough|extensive|robust|solid|complete|great) [\w-]+( [\w-]+)?( (for|of|across|on|in) (all|every|each|the) [\w-]+( [\w-]+)?)?\.?$|^\S+( \S+)? \w+ed (thoroughly|comprehensively|completely|clearly|accurately|consistently|systematically|effectively|efficiently|properly|appropriately|regularly)$|^\S+( \S+)? (comprehensive|excellent|optimal|optimi[sz]ed|robust|hardened|performant|thorough|effective|great|fast|solid|clear|acceptable|reasonable|granular)$|^(comprehensive|detailed|thorough|extensive|robust|complete|solid|strong|excellent|great) [\w-]+( [\w-]+)?$`)
	// styleWord is a word of taste ("clear", "concise", "idiomatic"): an
	// item made mostly of them says what good code feels like, not what to
	// check (see styleOnly).
	styleWord = lazyre.New(`(?i)\b(clear|clever|plain|concise|efficient|idiomatic|readable|readability|maintainable|maintainability|simple|clean|sensible|elegant|modular|reusable|short|easy to (read|follow|understand)|usual practice|best practices?)\b`)
	// bareHandle says to handle something without saying how.
	bareHandle = lazyre.New(`(?i)^handle\s+\S+(\s+\S+)?\.?$|^handle\s+\S+(\s+\S+){0,2} (safely|carefully|correctly|gracefully|properly|well)\.?$`)
	// defectName is a short noun phrase that names a defect or the control
	// against one ("SQL injection", "N+1 queries", "XSS prevention"): the
	// reviewer checks that it is absent, so it is not a bare topic.
	defectName = lazyre.New(`(?i)injection|\bxss\b|\bcsrf\b|\bssrf\b|\bxxe\b|traversal|deseriali[sz]|\bleaks?\b|\bn\+1\b|\bblocking\b|race conditions?|deadlocks?|\b(inside|in|within) (a |the )?(tight |hot )?loops?\b|hard-?coded|\bunsafe\b|\binsecure\b|vulnerab|\bhttps\b|\bbypass(es)?\b|misconfigur|\b(data|information) exposure\b|\bleast[- ]privilege\b|^(missing|weak|broken|verbose|exposed|leaked|unvalidated|unbounded|unencrypted|plain-?text)\b`)
	// servicePart is a part of the service a step of the agent's method
	// can be named after.
	workflowLabel = lazyre.New(`(?i)\bwhen (invoked|activated|called)\b|^((the|your|our) )?(process|workflow|procedure|steps)$|\b(follow|go through) (these|the following) steps$`)
	troubleTitle  = lazyre.New(`(?i)\b(issues?|problems?|errors?|failures?|troubleshooting|debugging)\b`)
	servicePart   = lazyre.New(`(?i)\b(database|schema|models?|migrations?|api|endpoints?|routes?|security|auth(entication|orization)?|cach(e|ing)|queues?)\b`)
	// stepAim is the bold lead of a step's purpose ("**Action**: Implement
	// the schema one change at a time" under "Step 3: ..."): what the
	// agent sets out to do in that step.
	stepAim = lazyre.New(`(?i)^(action|goal|objective|aim)$`)
	// codeExplanation is an explanation written into the code ("Explain the
	// schema choices in comments in the migration"): what the code says,
	// not what the reviewer says; sqlExplain is the SQL command in capitals
	// ("EXPLAIN ANALYZE before shipping"), not the verb.
	codeExplanation = lazyre.New(`(?i)^explain\b.*\bin (the |a |an |its |their )?([\w-]+ )?(comments?|docstrings?|migrations?|code)\b`)
	sqlExplain      = lazyre.New(`^EXPLAIN( ANALY[SZ]E)?\b`)
	// reviewerVoice is an item about what the agent says in its review
	// ("Give exact line numbers", "Educate during code reviews: when you
	// find..."), not about the code.
	reviewerVoice = lazyre.New(`(?i)^(say|explain|educate|tell|mention|acknowledge|answer|respond|reply|be (explicit|specific|clear|concise|constructive|brief))\b|^(make|give|offer) (only )?([\w-]+ )?suggestions\b|^flag (every|all|each|any)\b.*\bas (critical|high|blocking|major)\b|^(give|provide|show|suggest|recommend)\b.{0,30}\b(line numbers?|fix(es)?|feedback|examples?|suggestions?|recommendations?|explanations?|reasons?|solutions?|root causes?)\b|\bwhen you (find|see|spot|review|notice|comment|report|flag)\b|^(write|produce|generate|create) (a |the |an )?([\w-]+ )?(report|summary)\b`)
	// changeProcess is a rule of how a change gets reviewed and merged
	// ("Every PR needs at least one approval", "No self-merging without
	// review", "Review PRs within 24 hours", "Keep PRs small and focused"):
	// the team's process, which no reviewer can hold the code against.
	// "Every PR runs the tests" is a quality gate and stays.
	changeProcess = lazyre.New(`(?i)\b(PRs?|pull requests?|merge requests?)\b.{0,40}\b(approv\w*|merg(e|es|ed|ing)|small|focused|lines? changed|changed lines|description|within \d+ (hours?|days?))\b|\bself-merg\w*|^review (PRs?|pull requests?|merge requests?)\b|^(do not|don'?t|never) approve\b`)
	// gateWords name what must pass before a change merges ("tests pass
	// before a PR merges", "a manual approval before `apply`"): a gate on
	// the code, not the team's review process.
	gateWords = lazyre.New(`(?i)\b(tests?|lint\w*|type checks?|checks|green|pass(es)?|CI|builds?|plans?|apply)\b`)
	// optionalTier is a heading that says its items do not block a change
	// ("SUGGESTION (Non-blocking improvements)"): the file itself says they
	// are not requirements.
	optionalTier = lazyre.New(`(?i)\b(non-blocking|nice[ -]to[ -]have|optional|suggestions?|when convenient|backlog|low[- ]priority)\b`)
	// confirmStep is the body of a step of the agent's process that names
	// what must hold ("**Review logging** — confirm security events are
	// logged and sensitive data is not"): the check it applies.
	confirmStep = lazyre.New(`(?i)^(confirm|verify|ensure|check) (that )?(every|all|each|no|security|validation|sensitive)\b`)
	// searchStep is the body of such a step that says what to look for
	// ("**Check for secrets** — search for hardcoded credentials"): it
	// names a defect or a security control in the code (see auditStep).
	searchStep = lazyre.New(`(?i)^(search|look|scan|grep|hunt|check) (the (code|codebase|repository|repo|diff|services?|apps?|application|project) )?for\b|^(confirm|verify|review|check|ensure|make sure) (that )?(the )?\S+`)
	// findStep says to find a kind of fault ("Find N+1 query problems in
	// the resolvers"); it is a check only when it names a defect, as
	// "Identify the sensitive entry points" names only where to look.
	findStep = lazyre.New(`(?i)^(find|detect|spot|identify|catch|flag)\b`)
	// buildStep is a step of the agent's workflow that puts a named part
	// of the service in place ("Add indexes for performance", "Create a new
	// migration pair", "Set up security headers and CSP", "Write tests for
	// the queries and migrations"): whoever does the work, the code must
	// hold it afterwards. Planning, reviewing and running are the agent's
	// own ("Plan the indexes", "Run the migrations locally"), and so is when
	// it writes its tests ("Write the tests first").
	buildStep = lazyre.New(`(?i)^(add|create|write|define|specify|set up|configure|implement|test)\b`)
	// schemaBuild puts a schema mechanism or a migration in place, or says
	// one is ("Specify the constraints", "Design efficient indexes",
	// "Create migrations", "Indexes created from the query patterns",
	// "Migrations tested (up and down)"): the
	// schema holds it or not, so it is no bare topic or capability, where
	// "Index strategy" and "Design data migration strategies" stay topics.
	schemaBuild = lazyre.New(`(?i)^((add|create|write|define|specify|set up|configure|implement|design|generate)( \w+){0,2}? (indexe?s|constraints?|foreign keys?|migrations?)|(indexe?s|constraints?|foreign keys?|migrations?) (created|defined|added|in place|tested)\b)(\s*\(.*\))?($|[^\w-]+(and|for|from|on|to|in)\b)`)
	// hasTests says a part of the code has tests ("New functionality has
	// tests", "Every endpoint has integration tests").
	hasTests = lazyre.New(`(?i)^(new |all |every |each )?[\w-]+( [\w-]+)? (has|have) (\w+ )?tests\b`)
	// migrationWord is a migration or its rollback.
	migrationWord = lazyre.New(`(?i)\b(migrations?|rollbacks?)\b`)
	// securityNoun is a part of the code an audit step checks
	// ("confirm the algorithms, key management and TLS configuration").
	anyVulnerability = lazyre.New(`(?i)\b(security )?(vulnerabilit(y|ies)|weakness(es)?|issues|flaws)\b`)
	securityNoun     = lazyre.New(`(?i)\b(access control|row[- ]level security|rls|tls|ssl|crypto\w*|encrypt\w*|cipher\w*|algorithms?|key management|credentials?|secrets?|passwords?|tokens?|jwts?|permissions?|authori[sz]ation|authentication|input validation|sanitis\w*|sanitiz\w*|cors|rate[- ]limit\w*|throttl\w*|csp|identity|ownership|entitlements?|signatures?)\b`)
	// syncRule keeps a file of the project in step with the code ("Update
	// `openapi.json` whenever an API endpoint changes"); placeRule says
	// where a kind of code lives ("Keep AWS-specific code inside
	// `infra/`"). Both hold of the repository, not of the agent's work.
	syncRule = lazyre.New(`(?i)^(update|keep|regenerate) (the )?[\w.-]*(/|\.[a-z]{2,8}\b)[^;]*\b(whenever|when|every time|each time|if)\b[^;]*\b(endpoints?|routes?|models?|schemas?|apis?|contracts?|migrations?|settings)\b[^;]*\b(changes?|changed|added|removed)\b`)
	// hookRule puts checks into the repository's hooks ("Run the formatters
	// and linters in pre-commit hooks (black, isort)"): configuration to find.
	hookRule  = lazyre.New(`(?i)^(run|enforce|wire|put|add|configure)\b[^.;]*\b(formatters?|linters?|lint|type ?checks?|tests?|checks?)\b[^.;]*\b(in|as|through|via|with|from) (a |the )?(pre-commit|git|commit) hooks?\b`)
	placeRule = lazyre.New(`(?i)^keep\b[^;]*\bcode\b (in|inside|within|under|confined to|out of) (the )?[\w.-]*(/|\.[a-z]{2,8}\b)`)
	// namedControl is a control precise enough that naming it is the check
	// even when the item hedges ("Implement proper object-level
	// permissions": every object access checks ownership), where "proper
	// permission classes" or "proper validation" leave it all open.
	namedControl = lazyre.New(`(?i)\b(object[- ]level|row[- ]level|per[- ]object|ownership|least[- ]privilege|csrf)\b`)
	// ruleEvidence marks an item that states a rule of the code or the
	// service by itself ("Secure by Default — least privilege everywhere",
	// "`IsAuthenticated` by default"), whatever the section says it is.
	ruleEvidence = lazyre.New(`(?i)\bby default\b|\bleast[- ]privilege\b|\b(never|must not|must)\b`)
	// mustLead is a plain "MUST" or "SHOULD" opening an item: it says how
	// strongly the file means it, not what to check, so "MUST use the
	// proper Spring annotations" hedges as much as "Use proper annotations".
	mustLead = lazyre.New(`^(?i:must|should|shall)\b`)
	// tasteAdvice says to arrange the code in a way that is only a matter
	// of taste ("Group related files in logical directories", "Split large
	// functions into small, focused ones", "Design interfaces that can be
	// extended"): a verb, but no criterion a reviewer can hold code to.
	// "Keep each function small" is left alone: keeping a thing so is
	// often the rule itself.
	tasteAdvice = lazyre.New(`(?i)^(group|organi[sz]e|structure|arrange|split|break( up| down)?|design|move|extract|name)\b.*\b(logical(ly)?|related|consistent(ly)?|the same way|reusable|extensible|(can|could) be extended|(future )?extension|small(er)?|focused|organi[sz]ed|tidy|cohesive|for scale)\b`)
	// priorityRules orders the agent's own concerns ("Priority Rules" under
	// a decision framework): rules for the agent, not the code.
	priorityRules = lazyre.New(`(?i)^priority rules$`)
	// procedureStep is a step of a release or upgrade procedure ("Test
	// every flow after an update of the JWT library", "Review the CORS
	// settings before deploying"): when to look, not what must hold.
	procedureStep = lazyre.New(`(?i)^(test|review|check|re-?run|verify)\b.*\b(before|after) (deploying|deployment|releasing|any|an|each|every)\b.*\b(update|upgrade|deploy(ing|ment)?|release|production)\b`)
	// changeProcedure is the title of a procedure for one kind of change to
	// the service ("Workflow — Add or change a backend API route",
	// "Migration Workflow", "DB Schema Change", "Adding a New Endpoint"):
	// its steps say what the change must leave in the code, whoever makes
	// it, so the title is no section about the agent's own workflow.
	// "Development Workflow" and "Review Process" name no part of the
	// service and stay the agent's.
	changeProcedure = lazyre.New(`(?i)\b(add(ing)?|chang(e|ing)|creat(e|ing)|updat(e|ing)|modify(ing)?|new)\b( \w+){0,4} (api )?(routes?|endpoints?|models?|schemas?|migrations?|tables?|columns?|entit(y|ies)|resources?|handlers?)\b|\b(api|schema|db|database|model|migration|endpoint|route)( schema)? (changes?|migrations?|workflow)\b`)
	// procedureSteps is a heading that only says "the steps" ("Steps",
	// "Implementation Steps"): under a change procedure it names the
	// procedure's steps, not the agent's process.
	procedureSteps = lazyre.New(`(?i)^((implementation|the|main) )?(steps|procedure|process)$`)
	// neglectVerb opens an item that names a neglect ("Skip Pydantic
	// validation", "Ignore type errors", "Bypass the permission check"): a
	// verb, so the item is no bare topic.
	neglectVerb = lazyre.New(`(?i)^(skip|ignore|bypass|disable|swallow|suppress|silence|hard-?code)\b`)
	// runStep is a step that runs or starts something ("Run the tests of
	// the entities that changed", "Start the backend and call the
	// endpoint").
	runStep = lazyre.New(`(?i)^(run|re-?run|start|execute|invoke)\b`)
	// codeState is a state of a part of the code ("The response format
	// matches the schema", "Every test passes", "The route layer only
	// orchestrates", "Database migrations working"): a done list or a
	// procedure that states it says what must hold of the code once the
	// work is done, where "Integration points defined" and "Architecture
	// compliance checked" are the agent's.
	codeState = lazyre.New(`(?i)^(all |every |each |the )?(unit |integration )?(tests?|test suite|coverage|api (documentation|docs)|(database )?migrations?|responses?( format)?|(route|router|service|repository|data access|controller) layer|implementation|endpoints?|contract)\b[^.;]*?\b(pass(es|ing)?|green|applied|updated|working|match(es)?|only|in sync)\b`)
	// checklistHeading reopens guidance under a process section.
	checklistHeading = lazyre.New(`(?i)\b(checklist|requirements|standards|rules)\b`)
	// preferenceHeading under a description of the project ("Project
	// Context > User Preferences", "Architecture Decisions") holds what the
	// code must be like, not what the project is.
	preferenceHeading = lazyre.New(`(?i)\b(checklist|requirements|standards|rules|preferences|conventions|decisions|guidelines)\b`)
	// fileList is an item that starts with a path or a glob
	// ("prisma/schema.prisma - schema changes"): where the agent looks.
	// A table row reads "path: text"; there the path needs a file
	// extension, so that "Authentication/Authorization: ..." stays.
	// fileRoleRe is a source file's name and a colon ("`server.rs`: MCP
	// protocol handler and tool routing"): a line of a map of the project.
	fileRoleRe = lazyre.New(`^[\w.-]+\.(rs|go|py|ts|tsx|js|jsx|rb|java|kt|cs|php|sql|sh|ya?ml|toml|json)\s*:\s+(\S.*)$`)
	// pathNote is what a path list says of a path ("`app/db/migrations/` -
	// NEVER hand-edit a migration file!"): a rule when it opens with a
	// modal in capitals and names what it forbids, not "it" or "them", nor
	// what the agent may do on its own or must ask about.
	pathNote      = lazyre.New(`^\S+\s+[-–—:]\s+(NEVER|MUST( NOT)?|ALWAYS|DO NOT|DON'T)\s+(.*)$`)
	pathNoteAgent = lazyre.New(`(?i)\b(it|them|this|these|those)\b|\bon your own\b|\bunasked\b|\bask\b|\bpermission\b|\bapproval\b|\bconfirm|\bread\b`)
	fileList      = lazyre.New(`^[\w.*-]*[/*][\w.*/-]*\s+([-–—:]|for\s)|^[\w.*-]*(/[\w.*-]+)+\.\w{1,5}:\s`)
	// hedged says to do something "properly" without saying what proper
	// is ("Implement proper caching"): nothing a reviewer can check.
	hedged = lazyre.New(`(?i)\b(proper|properly|appropriate|appropriately|correctly|explicitly|suitable|suitably|good|best|gracefully|sparingly|carefully|with care)\b`)
	// hedgedObject says to use or build "a proper X" and nothing more
	// ("Use proper request and response models", "Use a proper ORM or
	// ODM", "Separate concerns with proper service layers"): the verb,
	// the hedge and one or two nouns name the thing, not what makes it
	// proper. "Implement proper error handling with typed exceptions"
	// gives a criterion, and "Implement proper input validation and
	// sanitization" and "Implement proper database transactions and
	// connection management" name a control (securityNoun, dataControl):
	// they stay.
	hedgedObject = lazyre.New(`(?i)^\w+( \w+){0,2} (a |an |the )?(proper|appropriate|suitable|good|correct|right) [\w'/-]+( [\w'/-]+){0,2}( (and|or|&) ([\w'/-]+ ){0,2}[\w'/-]+)?\.?$`)
	// pointerOnly says only to follow or read another file ("Follow
	// PROJECT_RULES.md."): the rules are there, not here.
	pointerOnly = lazyre.New(`(?i)^(follow|see|read|consult|obey|apply|check|respect) (the )?(rules (in|of) |instructions (in|of) )?[\w./-]+\.(md|mdc|txt|rst)\.?$|^[^:]{1,40}:\s*(https?://\S+|[\w./-]+\.(md|mdc|txt|rst))\.?$` +
		// "Curated URLs: https://a/, https://b/ (kept by the curator)": links only.
		`|^[^:]{1,40}:\s*https?://\S+(\s*(,|&|and)\s*https?://\S+)+(\s*\([^()]{0,60}\))?\.?$` +
		// "DB/schema change: migrations/ + schema.sql", "Always: memory.md
		// (latest lessons)": where to look, documents and folders only. A
		// note that states a rule ("migrations/ (append-only, never
		// edited)") keeps the item.
		`|^[^:]{1,40}:\s*` + pointerPath + `(\s*(\+|,|&|and)\s*` + pointerPath + `)*(\s*\([^()]{0,60}\))?\.?$`)
	// pointerRule is a note in parentheses that states a rule of its own.
	pointerRule = lazyre.New(`(?i)\([^()]*\b(never|only|must|always|no|not|do not|don't|append|required?|forbidden|immutable)\b[^()]*\)`)
	pointerPath = `[\w.<>*-]+(/[\w.<>*-]+)*(\.(md|mdc|txt|rst|ya?ml|json|toml|sql)|/)`
	// topicEntry is an entry of a topic list that names something to
	// check: a defect or security part is matched apart (see topicList).
	topicEntry = lazyre.New(`(?i)\b(no|not|tests?|tested|coverage|covered)\b`)
	article    = lazyre.New(`(?i)^(the|a|an|one|each|every)\b`)
	// guidanceBody is a list item that only names a body of guidance over
	// nested items ("Model generation guidance:"): a label.
	guidanceBody = lazyre.New(`(?i)^([\w/-]+ ){0,3}(guidance|guidelines|rules|notes|tips|instructions|practices|conventions|standards)\s*:$`)
	// dataControl is a control of data and resources a reviewer can look
	// for in the code: transactions, locks, timeouts, pools.
	dataControl = lazyre.New(`(?i)\b(transactions?|transactional|locks?|locking|timeouts?|retries|pool(s|ed|ing)?|connection management|backups?)\b`)
	// builtinTaste prefers the framework's own features without naming one
	// ("Use Django's built-in features and conventions", "Reach for
	// Django's built-in features before writing custom ones").
	builtinTaste = lazyre.New(`(?i)^(use|prefer|reach for|leverage|rely on|favou?r) (the )?([\w']+ )?built-?in (features?|functionality|tools|capabilities|helpers)\b`)
	// principleHeading is a heading or label over principles ("Security
	// Principles", "Core Principles"), and principleEvidence the words by
	// which a principle there states something to check: a quantifier, a
	// prohibition, a default (see aspirationOnly).
	principleHeading  = lazyre.New(`(?i)\bprinciples?$`)
	principleEvidence = lazyre.New(`(?i)\b(every|all|each|any|no|none|only|never|not|must|always|deny|denies|denied|by default|least[- ]privilege|at least|at most|before|without)\b`)
	// valueWord is a value a file ranks others against ("simple", "safe",
	// "correct", "convenience"), rankWord the words that rank them ("beats",
	// "is preferred", "wins over", ">"): see valueRanking.
	valueWord = lazyre.New(`(?i)^(simple|simplicity|safe|safety|correct|correctness|convenient|convenience|security|secure|clever|cleverness|complex|complexity|readability|readable|speed|fast|consistency|clarity|explicit|implicit|d-?r-?y|kiss|yagni|brevity|brief|concise|conciseness|terse|terseness|verbose|verbosity|maintainability|maintainable|flexibility|flexible|elegance|elegant|magic|magical|boring)$`)
	rankWord  = lazyre.New(`(?i)^(beats?|wins?|trumps?|outweighs?|over|than|always|is|are|preferred|required|optional|not|but|and|>|better|matters?|more|most|first|comes?|before)$`)
	// phraseBreak separates the phrases of an item ("Handle errors
	// gracefully with proper HTTP status codes").
	phraseBreak = lazyre.New(`(?i),|;| with | and | using | via `)
	// placeholder is template text left for the reader to fill in.
	placeholder = lazyre.New(`\[(e\.g\.|eg\b|your |todo|tbd)[^\]]*\]`)
	// agentProse is a sentence of prose that speaks to the agent or about
	// the document ("Follow the principles below").
	agentProse = lazyre.New(`(?i)\b(you|your|yourself)\b|\b(below|above)\.?$`)
	// verbish marks text that says what to do: a bare topic ("Event loops",
	// "Rate limiting") has none of it.
	verbish = lazyre.New(`(?i)\b(should|must|never|always|avoid|don'?t|do not|ensure|use|prefer|keep|make|check|verify|validate|require|set|add|return|handle|log|run|write|store|hash|limit|reject|index|pass|fail|clean|green|build|test|is|are|be|has|have)\b|\b(supports?|covers?|match(es)?|follows?|includes?|contains?) (the|a|an|all|every|each|its|their)\b|[:;.!?]`)
	// nounEnd is a word that reads as a noun: "loops", "limiting",
	// "prevention", "security".
	nounEnd = lazyre.New(`(?i)(s|ing|tion|sion|ment|ity|ness|ure|ance|ence|ism|ogy|age|ty)$`)
	// ruleIDRe is a rule's identifier ("G-SEC-1", "SEC-03"): files that
	// number their rules cite them in indexes and cross-references.
	ruleIDRe = lazyre.New(`\b[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d+[a-z]?\b`)
	// slugLead is a rule's slug in code marks before its text
	// ("`async-no-blocking` - No blocking I/O ..."): a name, not words of
	// the rule.
	slugLead = lazyre.New("^`[a-z0-9]+(?:[-_][a-z0-9]+)+`\\s*[-–—:]\\s+")
	// codeOnly is an item that is nothing but code marks
	// ("`make db-schema`", "`NNNNNN_name.up.sql`"): a command or a name
	// under the item it illustrates.
	codeOnly = lazyre.New("^`[^`]+`[.;,]?$")
	// versionPin names a technology and a version ("Python 3.11+",
	// "Pydantic 2.x"): what the file targets, not a check.
	versionPin = lazyre.New(`(?i)^[a-z][\w.#+-]*( [a-z][\w.#+-]*)? v?\d+(\.(\d+|x))*\+?$`)
	// versionLead opens an item with a technology and its version
	// ("PostgreSQL 15+ hosted on Render", "Pydantic v2 for request and
	// response schemas"): without a statement or a quantifier after it, the
	// item says what the project is built with.
	versionLead = lazyre.New(`(?i)^[a-z][\w.#+-]*( [a-z][\w.#+-]*)? v?\d+(\.(\d+|x))*\+?[ ,]`)
	// agentConduct is an item about what the agent itself may do: run
	// commands, edit files, ask the user ("Agents do not run npm", "Change
	// files only under ...", "with the user's go-ahead").
	agentConduct = lazyre.New(`(?i)^(the )?agents?\b|\bthe user (added|wrote|made|edited|changed)\b|\b(ask|tell|hand\w*(?: \S+){0,4} to) the user\b|\bthe user'?s (explicit |prior |written )?(go-ahead|confirmation|approval|consent)\b|\bthe workspace\b|^(edit|change|modify|touch) (files |code )?only\b|^(never|do not|don'?t) (edit|change|modify|touch) (a|any|the) (single )?(files?|code)\.?$|^(try|exercise|poke at) (it|them|the (endpoint|route|api))\b.{0,20}\b(with|using|in|from) (curl|postman|httpie|insomnia|the browser|an? (api|http|rest) client)\b|\bonly when (asked|requested|told)\b|\bunless\b[\w ]{0,25}\b(asked|requested|told)\b|\b(re-?read|reread) this file\b|\bthis file is\b|^(read|investigate|explore|study) (the )?(existing|surrounding|related) (code|files)\b|\bwithout (explicit |prior |written )?(approval|confirmation|permission|sign-?off)\b|\bwithout an? (spec|specification|design doc)\b|\bask (for )?(a )?(confirmation|approval|permission|decision|guidance|clarification)\b|\bask before\b|^make the (smallest|minimal|simplest) (correct |possible )?change\b|^(validate|test|verify|check)\b.*\b(locally|in staging|on staging)\b|^run\b.*\blocally\b|\bthe user'?s (request|prompt|task|question)\b|\bthe (whole |entire )?(specification|spec) at once\b|\b(read|rehydrate|load)\b.*\bbefore (editing|edits|coding|planning|starting|you (edit|start|begin|code|plan))\b|\bevery \d* ?prompts?\b|\bper prompt\b|^(follow|apply|read|obey|adhere to) (this|these|the following)( [\w,-]+){0,4} (protocol|process|workflow|sequence|steps|file|document|guide|instructions)\b|\b(copilot-instructions|claude\.md|agents\.md|\.cursorrules)\b|\bstate (the |your )?assumptions\b|^leave \S+( \S+)? alone\b|^read-?only\s*[:–—-]|\bon your own\b|\bunasked\b|\bunprompted\b|\bwithout being asked\b|\bbefore (running|executing) (any )?([\w,]+ )*commands?\b|\bwhen (asked|told|requested|instructed) to\b|\b(change|modify|edit|touch|write) no files\b|^(do not|don'?t|never) (modify|edit|change|touch|write) (any )?files\.?$|^(look at|read|prefer|start with|begin with|focus on) (the )?(changed|modified|touched) files\b|^keep (it|this|them|the (review|answer|response|report|output|feedback|summary)) (short|brief|concise|terse)\b|^(do not|don'?t|never) run (the |any )?(linters?|formatters?|tests?|test suites?|test runners?|dev tools|type ?checkers?|builds?)\b|\b(before|without) hand(ing)? (it |them |the code |code |the work )?over\b|\bhand(ing)? over (the |your )?(code|work)\b|\bhand (it |them )?back to (the )?(orchestrator|user|lead|caller)\b|\b(start|run|restart) the (dev|development|local) server\b|\bin the (browser )?console\b|\bcheck (by hand|manually)\b|@[\w-]+'s job\b|\b(delegated|engaged|other) agents?\b|\bagents?('s)? (involved|domains?|mandates?)\b|\b(stop|cancel|halt|abort) the (workflow|task|run)\b|\bas separate phases\b|\bbefore (writing|you write) (any )?code\b|\bbefore (you )?(report|reporting|mark|marking|declare|declaring|call|calling)\b[\w ]{0,20}\b(done|complete|completed|finished)\b|^(read|consult) (the )?[\w -]*\b(policy|policies|guidelines?|docs|documentation|readme|standards?)( (in|at|from) \S+)?\.?$|^(record|log|document|note|write down|list|summari[sz]e) (the |all |your |any )?(findings|results|issues found|vulnerabilities found)\b|^start (by|with)\b|\b(read|inspect|examine)\b.*\bbefore (writing|proposing|changing|making)\b|\bask (for )?(an? )?(explicit |prior |written )(confirmation|approval|permission)\b|^when (analy[sz]ing|investigating|debugging|diagnosing|auditing)\b|\b(in|of) (the |your |all )?(review )?feedback\b|^(all |your )?(review )?feedback (is|in|must|should)\b|\bblocking (issues?|findings?|comments?)\b.*\b(suggestions?|nits?|nice[- ]to[- ]have)\b|\bforce[- ]?push\w*\b|^(never|do not|don'?t) (modify|edit|change|touch|delete|rewrite) \S*\.md\b|^(work|stay|operate) only (in|inside|within)\b|^(do not|don'?t|never) (modify|edit|change|touch)\b.*\boutside( of)? \S*/|^(do not|don'?t|never) (invent|make up|guess|fabricate|hallucinate)\b|\b(orchestration|implementation|work|task) plan\b|\b(change|adapt|adjust|update|revise) (the|your) plan\b|\bin (the|your) plan\b|^(do|did|have|am|can|could|should|will|would) i\b|^(never|do not|don'?t) (skip|ignore|overlook|dismiss|downplay)\b.*\b(vulnerabilit(y|ies)|findings?)\b`)
	// contribution is an item about commits and pull requests, not the code.
	contribution = lazyre.New(`(?i)\bto manage (\w+ )?(python )?(dependencies|packages|commands|environments?)\b|\bfor (\w+ )?(dependency|package|environment) management\b|\bto set up (new )?projects\b|\bthe (pr|pull request|change ?set) (deals|addresses|covers|touches|does)\b|^(the )?changes are (small|minimal|focused|atomic)\b|\bconventional commits\b|\b(small|atomic|reversible|focused) commits\b|\bcommit messages?\b|\b(pr|pull request) (descriptions?|titles?|templates?)\b|\blinked issues\b|\bbefore (committing|pushing|each commit|every commit)\b|^commit (with|using|in)\b`)
	// choiceAdvice weighs alternatives without saying which fits when
	// ("Recommend online or offline migration", "Weigh optimistic against
	// pessimistic locking", "Advise when to write raw SQL"): a decision to
	// make, not a property of the code to check.
	choiceAdvice = lazyre.New(`(?i)^(recommend|suggest|advise( on)?|weigh|choose|decide|pick)( between)? (when to|whether|[\w-]+( [\w-]+)? (or|against|versus|vs\.?) [\w-]+( [\w-]+)?\.?$)`)
	// dbCommit is a commit of a database transaction, placed in a layer of
	// the code ("Commit in the service layer, not the repository"): where
	// transactions end, not a commit to version control.
	dbCommit = lazyre.New(`(?i)\bcommits? (in|inside|within|from|at) (the |a |each |every )?([\w-]+ ){0,2}(layer|service|repositor(y|ies)|transaction|session|unit of work|handler|use[- ]?case|dao)s?\b|\bcommits?\b[^.;]*\b(transactions?|sessions?)\b`)
	// commentsOverCommits puts an explanation in the code's comments, with
	// commits named only as where it does not go ("Explain non-obvious code
	// in comments next to it, not in commit messages"): a rule of the code.
	commentsOverCommits = lazyre.New(`(?i)^(explain|document|describe|note)\b[^.;]*\b(in|with) (code |inline )?(comments|docstrings)\b[^.;]*\b(not|rather than|instead of) (in )?(the )?commit messages?\b`)
	// userAsks is what the agent does only when the user asks for it
	// ("Edit files only when the user asks for the changes"), wherever it
	// stands in the item.
	userAsks = lazyre.New(`(?i)\b(when|until|unless|if) the user (explicitly |expressly )?(asks|requests|says|wants|tells|provides|gives|supplies)\b`)
	// toolDescription is a sentence without a subject that says what the
	// tool of the heading does ("Gives RBAC, password hashing and 2FA",
	// "Required for user authentication"): a description, not a rule.
	toolDescription = lazyre.New(`(?i)^(gives|provides|offers|plugs into|integrates with|ships with|comes with|supports|includes|handles)\b|^(required|used|needed) (for|by|in)\b`)
	// techLine names a technology and the part it plays, without a verb
	// ("SQLAlchemy as the database ORM", "FastAPI as the web framework for
	// the API"): what the project is built with, not a rule. "Pagination
	// for list endpoints" is a requirement, so "for" alone does not count.
	techLine = lazyre.New(`^[A-Z][\w.+/-]*( [A-Z][\w.+/-]*)? as (the|a|an|our) [\w /-]{3,40}$`)
	// bareFollow says to follow a body of conventions without naming one
	// of them ("Follow RESTful API conventions", "Follow database
	// conventions"): what the conventions require is not said.
	bareFollow = lazyre.New(`(?i)^(follows?|applies|apply|respects?|adheres? to|sticks? to) (the |all )?([\w/'-]+ ){0,4}(best practices|conventions|principles|guidelines|standards|idioms|patterns|constraints)( (and|&) (best practices|conventions|principles|guidelines|standards|idioms|patterns))?( consistently| strictly| everywhere)?\.?$|^(follow|apply) (the )?(principles|practices|guidelines|standards|conventions) of [\w -]{1,30}\.?$|^([\w-]+ ){0,3}(best practices|conventions|principles|guidelines|standards) (are )?(followed|applied|respected)\.?$|^(implement|apply|use|adopt) [\w ,/&-]{0,60}\bbest practices\.?$|^(all |the )?(code|changes?|everything) (follows?|matches|respects) (the |all )?([\w'-]+ ){0,2}(conventions|standards|guidelines|best practices|patterns)( in place)?\.?$`)
	// permitted is a heading or label that lists what is allowed: a
	// permission is not a requirement.
	permitted = lazyre.New(`(?i)^(allowed|permitted|acceptable|you may|skip|not required|optional)$`)
	// considerLabel lists matters to weigh ("Always consider:", "Keep in
	// mind:"). featureLabel catalogues what a technology offers
	// ("PostgreSQL-specific features:"); it is read on labels only: "##
	// Security Features" of a project says what it has built, facts to
	// hold it to.
	considerLabel = lazyre.New(`(?i)^(always |also )?(consider|keep in mind|bear in mind|think about|take into account)$|^considerations$`)
	featureLabel  = lazyre.New(`(?i)^([\w-]+ ){0,2}features:?$`)
	// tallyColumn is a table header of priorities or counts: such a table
	// lists categories of rules ("| 1 | Async Correctness | CRITICAL | 5 |").
	tallyColumn = lazyre.New(`(?i)^(priority|impact|rules|count|#|number of \w+)$`)
	// severityColumn and responseColumn make a table header a triage scale
	// ("| Risk Level | Criteria | Response Time | Escalation |"): how
	// fast findings of each level are answered and by whom, not a rule.
	severityColumn = lazyre.New(`(?i)^(severity|risk( level)?|level|priority|criticality)$`)
	responseColumn = lazyre.New(`(?i)^(response( time)?|sla|escalat\w*|owner|time to (fix|respond)|fix within|deadline|timeline|remediation( time)?)$`)
	// onlyWhenNeeded leaves the condition of an instruction open ("Implement
	// versioning when needed"); a requirement stated of the code
	// ("Authentication required where needed", "Are writes wrapped in
	// transactions where needed?") still names what to look at.
	onlyWhenNeeded = lazyre.New(`(?i)\b(when|where|as|if) (needed|necessary|required|appropriate)\.?$`)
	// slogan is an item that is all one quotation ("\"Consistency beats
	// perfection\"", "“APIs are forever”"): a motto the file repeats,
	// not a rule it states.
	slogan = lazyre.New(`^["“”'‘][^"“”]+["“”'’][.!]?$`)
	// describeColumn is a table header over what each row's thing is
	// ("| Layer | Purpose |", "| Type | Description | Persistence |").
	describeColumn = lazyre.New(`(?i)^(description|purpose|what it (is|does)|role|meaning)$`)
	// recommendColumn is a table header over what each row's thing should
	// be ("| Attribute | Purpose | Recommendation |", "| Header |
	// Recommended Value |"): each row states a setting to hold the code to,
	// whatever the description beside it.
	recommendColumn = lazyre.New(`(?i)^(recommendations?|recommended( (values?|settings?|configuration))?|required( (values?|settings?))?|expected (values?|settings?))$`)
	// responsibilityLead opens a role's line of work on the service
	// ("Responsibilities: Design schemas, write migrations, ..."): a list
	// after the colon, not one sentence.
	responsibilityLead = lazyre.New(`(?i)^((main|key|core|primary) )?(responsibilit(y|ies)|duties|tasks)\s*:\s+\S[^.]*,`)
	// requirementLead opens a paragraph of requirements ("Invariants: tests
	// live in ...").
	requirementLead = lazyre.New(`(?i)^(invariants?|rules?|requirements?|constraints?|patterns?|conventions?)\s*:\s+\S`)
	// describes is a sentence about the project or the file rather than a
	// rule ("This repository is a Python API service", "This agent reviews
	// endpoints", "pytest is the test framework").
	describes = lazyre.New(`(?i)^(this|the|our) (project|repository|repo|file|document|guide|service|codebase|application|app|library|agent|assistant|subagent|skill)\b|^it\b|^\S+( \S+)? (is|are) (the|our) [\w ]*\b(framework|library|tool|database|orm|language|runner)s?\.?$|^\S+( \S+)? (is|are) used (to|for)\b`)
	// headingNumber is the numbering in front of a heading.
	headingNumber = lazyre.New(`^[^\pL\d]*(§\s*)?\d+(\.\d+)*[.)]?\s+`)
	// discoveryPhase is a phase of the agent's work in which it finds its
	// way around the code ("Discovery Phase", "Reconnaissance", "Map the
	// attack surface:" over the routes and inputs it will look at).
	discoveryPhase = lazyre.New(`(?i)^(phase \d+:?\s*)?(discovery|reconnaissance|recon|context gathering|information gathering|preparation|initial assessment)( phase| step)?$|^map (out )?(the |its |your )?(attack surface|codebase|code base|entry points)$`)
	// referenceContext is a section or label that cites a published list
	// of categories ("OWASP Top 10 Reference"): its entries are the list's
	// category names, not checks.
	referenceContext = lazyre.New(`(?i)\b(owasp|top ?(10|ten|25)|cwe)\b`)
	// techContext is a section that lists what the project is built with.
	techContext = lazyre.New(`(?i)^((tech(nology)? )?stack|tech|dependencies|libraries|packages|technologies|frameworks?|languages?|tools?|tooling)( (&|and) (tools?|tooling|dependencies|libraries|frameworks|structure|layout))?$`)
	// aspiration is an item that names a direction, not a property
	// ("Optimize performance with async functions", "Treat latency as a
	// priority"): nothing a reviewer can hold the code to unless it gives
	// a figure. "Optimize queries" names what to change and stays.
	// apiDocs names the API's documentation ("the API documentation
	// (OpenAPI/Swagger)"): a contract a reviewer holds the routes to, where
	// "Keep the documentation updated" names nothing to check.
	apiDocs    = lazyre.New(`(?i)\b(api (documentation|docs|reference|specs?)|openapi|swagger)\b`)
	aspiration = lazyre.New(`(?i)^optimi[sz]e for (query|database) performance\b|^(optimi[sz]e|improve|maximi[sz]e) (the )?(overall )?(performance|speed|efficiency|code|quality|readability|maintainability|user experience)\b|^(prioriti[sz]e|focus on|strive|aim for|aim to|tune|fine-tune|right-?size)\b|^put [\w-]+ first\b|^([\w-]+ ){0,2}[\w-]+ first\.?$|^think (of|about)\b|\bwhere (it|they) (pays?|pay) off\b|\bwhere (it|they) helps?\b|^(argue|advocate) for\b|^(monitor|profile|measure)\b|^(keep|update) (the |all )?([\w.-]+ )?(documentation|docs|readme(\.md)?)( files)?\b|\bas a (top |high )?priority\b`)
	// rfc2119 is a prohibition in capitals ("You MUST NOT expose
	// secrets"): a rule, even when it speaks to the reader. "You MUST read
	// the route first" is the agent's own conduct and stays prose.
	rfc2119 = lazyre.New(`\b(MUST|SHALL) NOT\b`)
	// apiHeading is a heading about the service's API; under it, a
	// "Response Format" (serviceResponse) is the format of the API's
	// responses, not of the agent's answer.
	apiHeading = lazyre.New(`(?i)\b(api|apis|rest|restful|http|endpoints?|routes?)\b`)
	// A trailing "Rules" ("API Handler Rules > Response Format Rules")
	// names the same responses.
	serviceResponse = lazyre.New(`(?i)^(error )?responses?( format| structure| shape)?( rules| conventions| standards)?$`)
	// apiResponse is a heading that names the API's responses itself
	// ("API Response Format", "HTTP Error Responses").
	apiResponse = lazyre.New(`(?i)^(api|http|rest|json) (error )?responses?( format| structure| shape| envelope)?( rules| conventions| standards)?$`)
	// judgedQuestion is a question that asks for a judgement with no
	// criterion ("Is the API design clean?", "Will it perform?").
	judgedQuestion = lazyre.New(`(?i)^(is|are|will|does|do|can) (it|this|they|the [\w /-]+?) (clean|sound|secure|safe|perform|scale|good|solid|ready|correct|right|ok|optimi[sz]ed|efficient|adequate|sufficient|reasonable)\?$`)
	// yesNoQuestion is a question a reviewer answers yes or no ("Are
	// inputs validated?"), and controlState its answer when it asks whether
	// a control is in place (see yesNoCheck).
	yesNoQuestion = lazyre.New(`(?i)^(is|are|does|do|has|have|was|were)\b[^?]*\?$`)
	controlState  = lazyre.New(`(?i)\b(validated|saniti[sz]ed|escaped|encoded|encrypted|hashed|salted|authenticated|authori[sz]ed|parameteri[sz]ed|logged|audited|tested|indexed|paginated|rate[- ]limited|throttled|enforced|pinned|rotated|signed|verified|bounded|limited|checked|redacted|masked|closed|released)\?$`)
	// openQuestion is a question with no yes or no answer ("What load is
	// expected?", "How is existing data migrated?"): something for the
	// agent to find out, not a property to check.
	// A question whether to do something at all ("Should query results be
	// cached?", "Is an audit trail needed?", "Have deadlocks been thought
	// about?") leaves the answer, and so the check, open as well.
	openQuestion = lazyre.New(`(?i)^(what|how|which|why|where|who|when)\b[^?]*\?\s*(\([^)]*\))?$|^(should|could|would|might)\b[^?]*\?$|^(is|are)\b[^?]*\b(needed|necessary|warranted|worth it)\?$|^(has|have)\b[^?]*\bbeen (thought about|considered)\?$`)
	// reviewWork is an item about the agent's own work rather than the
	// code: its product as the subject ("Recommendations are vague", "The
	// security assessment is missing"), or the agent's activity as the
	// predicate ("API contracts are reviewed in full", "Security concerns
	// are identified").
	// cleanAnalysis is an analysis said to be clean or to pass ("SpotBugs
	// analysis is clean"): the result of a tool run over the code, a check
	// like "Checkstyle passes"; an analysis that is complete or thorough
	// stays the agent's.
	cleanAnalysis = lazyre.New(`(?i)\banalys[ie]s (is|are) (clean|green|passing)\b|\banalys[ie]s pass(es)?\b`)
	reviewWork    = lazyre.New(`(?i)^(the )?(\w+ )?(review|assessment|recommendations?|findings?|feedback|analysis|evaluation)s? (is|are|was|were|stayed|has|have|must|should|lacks?|can|could)\b|\b(is|are|was|were) (reviewed|assessed|evaluated|identified|analy[sz]ed|examined|inspected)\b|^(every|all|each) ([\w-]+ )?(vulnerabilit(y|ies)|issues?|findings?|problems?) (found|identified|flagged|reported|detected)\b|^(the )?(fixes|findings|recommendations) (verified|confirmed|checked|applied)\b`)
	// judgeWords end a short item that says a thing was thought about, or
	// judges it, without a criterion (see deliberatedItem).
	judgeWords = map[string]bool{"considered": true, "decided": true, "planned": true, "intentional": true,
		"clear": true, "optimal": true, "appropriate": true, "sound": true, "compliant": true, "adequate": true,
		"acceptable": true, "reasonable": true, "understood": true, "encouraged": true}
	// delegation hands a kind of work to another agent ("React code ->
	// Frontend Reviewer").
	delegation = lazyre.New(`(?i)(->|→)\s*[\w /+-]*\b(reviewers?|agents?|developers?|specialists?|engineers?|architects?)\s*$|\b(the|another|an?) (architect|review|reviewer|security|frontend|backend|tester|testing|qa|planner|specialist|docs?) (agent|subagent)\b`)
	// mustCheck is a sentence that tells the reviewer to check for named
	// defects or security parts ("You MUST check for security
	// vulnerabilities: injection, broken auth, exposed secrets"): a check,
	// though it speaks to the agent.
	mustCheck = lazyre.New(`(?i)^\(?you (must|should|shall) ((check|look|scan) for|(verify|confirm|ensure) that)\b`)
	// cliCommand is a command line of a package manager or tool ("uv add
	// <package>", "uv run mypy ."): an item that says to run one tells the
	// contributor what to type, not what the code must be. Gradle, Maven and
	// dotnet tasks too ("`./gradlew test`", "`mvn clean install`"; round 57).
	cliCommand = lazyre.New(`\b(uv|pip|pipx|poetry|npm|npx|yarn|pnpm|make|ruff|mypy|pytest|docker|git|go|cargo) (run|add|install|sync|build|test|format|check|exec|up|lint|commit|push|compose|vet)\b|\bgolangci-lint run\b|\b(gradlew|mvnw|gradle|mvn)( clean)? (build|test|check|bootRun|assemble|install|package|verify|spring-boot:run)\b|\bdotnet (build|test|run)\b|\balembic (revision|upgrade|downgrade|stamp)\b|\bmanage\.py (makemigrations|migrate|runserver|test|shell)\b`)
	// commandLead is a lead that says to run or install something.
	// A step that first says when ("Before you finish backend work, run
	// ...") is one all the same.
	commandLead = lazyre.New(`(?i)^(before [^,]{1,40}, )?(always )?(run|install|add|execute|invoke|format|lint|generate( \w+)? with|create( \w+)? with)\b`)
	// envName is an environment variable's name as a lead ("APP_ENV:
	// development, testing, production"): a name and its values.
	envName = lazyre.New(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)
	// useCommand says which command to use for a chore ("Use `uv run` for
	// management commands", "Use `go install ./...` when a compile-only
	// check is all you need"): the tool the agent runs, not the code.
	// runLabel names a step of building, running or testing ("Full build",
	// "One test", "Run locally").
	runLabel   = lazyre.New(`(?i)^(full |one |a |single |a single |all |local )?(build|builds|test|tests|run|start|lint|check|compile|package|install|test suite|suite)( locally| only| all| the tests?)?$`)
	useCommand = lazyre.New(`(?i)^(always )?use (uv|pip|pipx|poetry|npm|npx|yarn|pnpm|make|go|cargo|docker) (run|install|build|test|exec|vet)\b`)
	// testRun is a step that runs the tests ("Run the whole test set",
	// "Run the tests before committing"): the agent's work; where the tests
	// run in CI it is the pipeline's configuration.
	testRun = lazyre.New(`(?i)^(always )?run (the |all |every )?(whole |full |entire )?(tests?|test (set|suite)s?)\b`)
	ciWords = lazyre.New(`(?i)\b(ci|pipelines?|github actions|workflows?)\b`)
	// fileScope says where the file applies ("Applies to `backend/**`,
	// except ...", "This file covers the whole repository"), not a rule.
	fileScope = lazyre.New(`(?i)^(this (file|rule|guide|document) )?(applies|covers)( only)? to\b`)
	// serviceMap lists services with their ports ("wallet-service(8081),
	// transaction-service(8082)"): an inventory of the system.
	serviceMap = lazyre.New(`^[\w.-]+ ?\(\d{2,5}\)(, ?[\w.-]+ ?\(\d{2,5}\))+\.?$`)
	// acronymStack is a line of acronyms only ("DDD + EDA + MSA", "REST /
	// gRPC"): styles or technologies named, nothing to hold the code to.
	acronymStack = lazyre.New(`^[A-Z][A-Za-z]?[A-Z]{1,4}( ?[+/,&] ?[A-Z][A-Za-z]?[A-Z]{1,4})+\.?$`)
	// envValue names a deployment environment ("local", "dev", "prod").
	envValue = lazyre.New(`(?i)^(local|dev|development|test|testing|staging|stage|prod|production|qa|uat|sandbox|preview|demo)$`)
	// inventedCode is "Do not invent a new type when Go already has one":
	// a rule on the code's own types, where "Do not invent folder paths"
	// is the agent's conduct.
	inventedCode = lazyre.New(`(?i)^(do not|don'?t|never) invent (a |an |any )?(new )?(types?|class(es)?|structs?|interfaces?|enums?|error types?|wrappers?|abstractions?|data types?)\b`)
	// figureRule is a bold label that states a requirement with its figure
	// ("Mandatory Requirement: 100% Test Coverage.").
	figureRule = lazyre.New(`(?i)\b(mandatory|required|requirement|must|minimum|at least|at most)\b.*\d|\d+\s*%`)
	// capsModal is a requirement shouted in a label ("Multi-Layer
	// Validation (ALWAYS use it for uploads):"): the label states the rule
	// its block illustrates.
	capsModal = lazyre.New(`\((ALWAYS|NEVER|MUST)\b[^)]*\)`)
	// quantifiedLabel is a sentence over its example that states a rule for
	// every one of something ("Every error comes back in the same JSON
	// shape:"), as against a label that waits for its list ("All requests
	// must include:", "Each endpoint has the following:").
	quantifiedLabel = lazyre.New(`(?i)^(every|all|each) [\w-]+( [\w-]+){0,2} (is|are|comes?|goes?|returns?|uses?|follows?|gets?|has|have|must|should|shares?|sits?|holds?|carr(y|ies)|runs?|passes|pass)\b.{8,}$`)
	// limitLabel is a label that states a limit for what it names ("Lean
	// Routers (Max 200 lines):" over an example): the limit is the rule.
	limitLabel   = lazyre.New(`(?i)\((max(imum)?\.?|at most|up to|no more than|≤|<=) \d+ ?(lines?|loc|characters?|chars|parameters?|params|arguments?|args|ms|seconds?|s|items?|rows?|requests?|mb|kb)\)$`)
	openLabelEnd = lazyre.New(`(?i)\b(include|includes|contain|contains|have|has|follow|follows|be|are|is|with|for|to|of|the|these|this|following|below|like|as|such as|fields?|keys?|parts?|sections?|properties)$|\bth(is|ese) (shape|form|layout|structure|pattern)s?$`)
	// statusAnswer is an answer the API gives, with its status code
	// ("Answer 400 with the fields that failed"), not the reviewer's.
	// "Answer errors with clear, uniform responses" is the API's answer too.
	statusAnswer = lazyre.New(`(?i)^(answer|respond|reply)\b.{0,20}\b[1-5][0-9][0-9]\b|^(answer|respond to|reply to) (every |all |each |any )?([\w-]+ )?(errors?|failures?|exceptions?|requests?)\b.{0,40}\b(responses?|status codes?|problem details|error bodies|envelopes?)\b`)
	// vagueAudit says to review something for problems it does not name
	// ("Review code, configuration and dependencies for vulnerabilities"):
	// the agent's activity, with no check in it.
	vagueAudit = lazyre.New(`(?i)^(review|audit|scan|assess|analy[sz]e|inspect|examine)\b.*\bfor (security )?(vulnerabilities|issues|weaknesses|flaws|problems|risks)\.?$`)
	// mustSentence is a sentence of prose that states a rule with "must"
	// or "shall" about something other than the reader ("Arrays that
	// stand for sets must be sorted").
	mustSentence = lazyre.New(`(?i)\b(must|shall)( not| never| always)? be\b|\b(must|shall) (not )?(be|have|hold|use|contain|include|return|run|start|live|pass|succeed|exist|match|stay|remain)\b`)
	// whenYouDo is a sentence that says what to do whenever the coder does
	// something ("When you generate Pydantic models, make their
	// serialisation deterministic"): the rule after the comma.
	whenYouDo = lazyre.New(`(?i)^(when|if|whenever) you (add|create|write|generate|change|build|define|introduce|modify|implement|expose|store)\b[^,]*, (.*)$`)
	// thenDo is the rule after "When you ..., ": "make", "sort", "mark".
	thenDo = lazyre.New(`(?i)^(make|keep|mark|sort|record|update|register|list|declare)\b`)
	// mustJudge is "must be" with a judgement and no criterion ("Every
	// write must be safe under concurrency").
	mustJudge = lazyre.New(`(?i)\bmust be (safe|secure|correct|clean|robust|fast|efficient|reliable|consistent|simple|good|solid)\b`)
	// buildTask says to build or set up a thing ("Create routes for login
	// and registration", "Generate a Flask API structure that scales", "Set
	// up Black for formatting"): a task, not a property of the code, unless
	// it gives a figure, a bound, a quantifier or a security part.
	// schemaBuildClause puts a schema part in place as the second half of
	// a build task ("Design the database schema and write its
	// migrations"): the migrations are there to check, as in schemaBuild.
	schemaBuildClause = lazyre.New(`(?i)\b(and|then) (add|create|write|define|generate) (its|their|the) (indexe?s|constraints?|foreign keys?|migrations?)\b`)
	buildTask         = lazyre.New(`(?i)^(create|generate|build|design|develop|scaffold|set up|put in place)\b`)
	// buildLabel is the same word used as a label ("Build: `dotnet build
	// app.sln` finishes clean" under "Quality Gates"): a noun naming the
	// step whose required outcome follows, not a thing to build.
	buildLabel = lazyre.New(`(?i)^(create|generate|build|design|develop|scaffold|set up)\s*:`)
	// capabilityLead opens an item with work the agent does rather than a
	// check ("Design ...", "Build ...", "Handle ...", "Spot ...").
	capabilityLead = lazyre.New(`(?i)^(design|build|create|implement|develop|set up|put|handle|find|spot|identify|detect|assess|audit|analy[sz]e|suggest|recommend|provide|support|manage|deliver|architect|coordinate|optimi[sz]e|translate|integrate)\b`)
	// capabilityVerb is a generic verb of work ("Design", "Implement",
	// "Conduct", "Collaborate on") that names a capability when only a noun
	// phrase follows it.
	capabilityVerb = lazyre.New(`(?i)^(design|implement|create|enable|support|conduct|build|develop|provide|optimi[sz]e|maintain|collaborate( on| with)?|architect|deliver|manage|integrate|set up|perform|establish)\b`)
	// skillLead opens an item that names a skill: a gerund of a generic
	// verb of work, or "Command / Mastery / Expertise ... of / in / with".
	skillLead = lazyre.New(`(?i)^((designing|implementing|building|developing|creating|architecting|optimi[sz]ing|maintaining|managing|integrating|delivering)\b|((deep |strong |broad )?(command|mastery|expertise|experience|knowledge|proficiency|fluency|understanding)) (of|in|with)\b)`)
	// disciplineWord names a field of work ("development", "patterns",
	// "observability").
	disciplineWord = lazyre.New(`(?i)\b(development|patterns|programming|profiling|observability|engineering)\b`)
	// capabilityQualifier is what makes a noun phrase more than a topic: a
	// modal or quantity, a condition, a place or a means.
	capabilityQualifier = lazyre.New(`(?i)\b(must|never|always|only|every|each|all|any|no|not|at least|at most|per|before|after|when|whenever|if|unless|for|with|without|using|via|by|in|on|at|to|from|under|across|against|through|within|that|which|instead|rather|than)\b`)
	// schemaWords name parts of a schema a reviewer can look for ("with
	// indexes and unique constraints").
	schemaWords = lazyre.New(`(?i)\b(indexe?s|index|constraints?|primary keys?|foreign keys?|unique|not null)\b`)
	// testWords name tests and their parts ("with pytest fixtures").
	testWords = lazyre.New(`(?i)\b(tests?|testing|fixtures?|pytest|mocks?|factories)\b`)
	// judgedCheck says to check that a thing is good, with no criterion
	// ("Validate that communication is secure").
	judgedCheck = lazyre.New(`(?i)^(validate|verify|ensure|check|confirm|make sure) (that )?([\w-]+ ){0,3}[\w-]+ (is|are) (secure|safe|correct|robust|clean|good|sound|fine|ok|solid|reliable)\.?$`)
	// subjectVerb is a clause: a subject of up to five words and a verb
	// that says what holds of it ("Schema changes stay compatible",
	// "Migrations can be reversed", "Secrets are never logged").
	subjectVerb      = lazyre.New(`(?i)^(\w+[ -]){0,4}\w+ (stays?|remains?|gets?|can(not)? be|must|should|are|is|has|have|never|always)\b`)
	openQuestionWord = lazyre.New(`(?i)^(how|what|which|when|where|why|who|whether)\b`)
	// agentActivity is a verb of the agent's own review ("Find", "Spot",
	// "Assess", "Audit").
	agentActivity = lazyre.New(`(?i)^(review|find|spot|assess|audit|analy[sz]e|identify|detect|look|suggest|recommend|examine|inspect|evaluate)\b`)
	// markedComment is a code comment that marks the code under it right or
	// wrong ("# ✅ CORRECT: ...", "// ❌ WRONG: ...").
	markedComment = lazyre.New(`^\s*(?:#|//|--)\s*(✅|❌|✓|✗|✘)\s*((?i:correct|wrong|good|bad|right|do|don'?t)\b)?\s*:?\s*(\S.*)$`)
	// wordMarkedComment marks the code under it with a capitalised word
	// instead of a sign ("# BAD: no authorization check", "// GOOD: Argon2
	// or bcrypt"); the remark must be prose, not a quoted query.
	wordMarkedComment = lazyre.New(`^\s*(?:#|//|--)\s*(BAD|WRONG|AVOID|GOOD|CORRECT|BETTER)\s*:\s*([A-Za-z].*)$`)
	// parenthetical is a remark in brackets.
	parenthetical = lazyre.New(`\([^)]*\)`)
	// statement marks an item that says something: a verb, a modal, a
	// negation.
	statement = lazyre.New(`(?i)\b(must|should|shall|never|always|not|no|is|are|has|have|be|use|uses|used|only)\b`)
	// prohibitionPara is a paragraph that opens with a bold prohibition
	// ("**BANNED:** ...", "**NEVER**: ..."); bannedSentence a sentence that
	// says a thing is banned ("The legacy query API is banned.").
	prohibitionPara = lazyre.New(`(?i)^(?:\*\*|__)?(banned|forbidden|prohibited|never|don'?t|do not|avoid|not allowed)(?::(?:\*\*|__)|(?:\*\*|__)?:)\s*(\S.*)$`)
	bannedSentence  = lazyre.New(`(?i)\b(is|are) (banned|forbidden|prohibited|not allowed|disallowed)\b`)
	// proseRule is a sentence of a short verdict paragraph that states a
	// rule without an imperative: a prohibition or a limit in capitals
	// ("NO skipped tests.", "A `# type: ignore` ONLY with a comment"), "No
	// errors allowed.", a threshold ("At least 80% overall.", "New code at
	// 90% or more.") or a statement about every one of a kind ("Each public
	// function says what it raises", "Every route of the `main` blueprint
	// carries `@login_required`").
	proseRule = lazyre.New("^NO\\s+\\S|\\bONLY (with|when|if|in|via|through|after|from|for)\\b|(?i:^no\\b[^.]{0,40}\\b(allowed|permitted|tolerated)\\.?$)|" +
		"(?i:\\b(at least|at most|no more than|no less than|minimum( of)?|maximum( of)?)\\s+\\d|\\d+(\\.\\d+)?\\s?%\\s+or (more|less|higher|lower|above|below)\\b)|" +
		"(?i:^(every|each|all|no) [\\w`'/.-]+( [\\w`'/.-]+){0,3}( of (the |a |an |this |its )?[\\w`'/.-]+( [\\w`'/.-]+)?)? (has|have|is|are|declares?|says?|documents?|names?|lists?|returns?|uses?|carr(y|ies)|logs?|checks?|validates?|runs?|gets?|holds?|states?)\\b)")
	// qualityLabel is a label over the qualities the code should have
	// ("Code should be:"), each an adjective in a bold lead ("**Secure**:
	// No vulnerabilities"): aspirations, with nothing to check.
	qualityLabel = lazyre.New(`(?i)^(the |your |all |our )?(code|service|api|system|implementation|solution|it)( \w+)? (should|must|will|needs to) be$`)
	// boldLeadParagraph is a paragraph of a bold lead, a colon and a
	// statement ("**PyDAL**: every runtime database operation").
	boldLeadParagraph = lazyre.New(`^(?:\*\*|__)([^*_]+)(?:\*\*|__)\s*:\s*(\S.*[^:\s])$`)
	// boldParagraph is a paragraph that is only a bold phrase, with an
	// optional remark in brackets: a label when a list follows.
	boldParagraph = lazyre.New(`^(?:\*\*|__)([^*_]+)(?:\*\*|__)\s*(\([^)]*\))?:?$`)
)

// ParseGuidelines extracts the guidelines of an agent guideline file, read
// as CommonMark (goldmark, with GitHub tables), as people write them: YAML front matter, headings, "Label:" lines followed by
// lists, numbered items with bold leads, plain and nested bullets, tables.
// Code blocks, example blocks and prose are skipped and reported. It never
// fails: anything it does not understand is reported as skipped.
func ParseGuidelines(file string, data []byte) Guideline {
	return parseGuidelines(file, data, embeddedContentModel(), nil)
}

// parseGuidelines is ParseGuidelines with a given content model (nil: the
// heuristics alone); when candidates is not nil, every item offered to
// the heuristics, kept or not, is appended to it (the model's training
// examples).
func parseGuidelines(file string, data []byte, model *contentModel, candidates *[]Item) Guideline {
	p := &guideParser{g: Guideline{File: file}, offered: candidates, rescue: model != nil && model.Rescue > 0 && model.Threshold < 1}
	text := string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	start := p.frontMatter(lines)
	for i := range start {
		lines[i] = "" // blanked, so that offsets still give line numbers
	}
	p.unwrapTemplate(lines)
	p.blankBlocks(lines)
	p.src = lines
	p.parseMarkdown(lines)
	p.flush()
	p.closeSection()
	model.filter(p)
	slices.SortStableFunc(p.g.Skipped, func(a, b Skipped) int { return a.Line - b.Line })
	return p.g
}

type listFrame struct {
	indent int
	line   int
	title  string // for nesting: the parent's title, or the label it is
}

type guideParser struct {
	g            Guideline
	offeredItems int      // items offered to add, against MaxGuidelineItems
	rescue       bool     // items of the agent's sections go on to the content model (see Item.agent)
	headings     []string // by level, 1-based positions
	label        string   // the last "Label:" line, for the list that follows
	example      bool     // inside a section about examples
	stack        []listFrame
	cur          *Item    // the item being collected
	para         []string // the pending paragraph's lines
	paraLines    []int    // the line each of them is on
	paraLine     int
	overCode     bool            // the pending paragraph sits right above a fence of code, not of commands
	table        int             // rows seen in the current table
	tally        bool            // the table's header names a priority or a count column
	triage       bool            // the table's header names a severity and a response column
	describe     bool            // the table's header names a description or purpose column
	recommend    bool            // the table's header names a recommended value column
	unclosed     map[string]bool // closing marks that do not occur below
	agent        string          // why the current section is about the agent, not the code
	level        int             // the level of the last Markdown heading
	commands     bool            // under a heading over the project's commands ("Build / Lint / Test")
	tech         bool            // under a heading over what the project is built with ("Libraries")
	change       bool            // under a procedure for one kind of change (changeProcedure)
	boxed        bool            // reading the boxes of a checklist drawn in a text block
	secStart     int             // the first item of the current section
	secSeen      int             // items offered in the current section, kept or not
	secBare      int             // of them, bare capabilities ("Design RESTful APIs")
	splitting    bool            // adding the entries of an "a | b | c" list
	src          []string        // the file's lines, code blocks blanked, for what cleaning removes
	offered      *[]Item         // when not nil, every item offered to add
	// A label that is a rule completed by the values under it ("Secrets
	// may live only in:", "These file names are forbidden:"): its line, its
	// text, and the item its values went into (-1 before the first).
	values struct {
		line int
		text string
		item int
	}
	// partsLine is the last line of a paragraph label that asks for parts
	// ("Every new route must have:"), or of the last part read under it:
	// the one-line paragraphs right after it are its parts (round 57).
	partsLine int
}

// frontMatter reads a leading YAML block and returns the first line after it.
// Some agent files were pasted without the fences: a first block of "key:
// value" lines (and their indented continuations) that names the agent
// and describes it is front matter all the same.
func (p *guideParser) frontMatter(lines []string) int {
	if len(lines) == 0 {
		return 0
	}
	first, end := 1, -1
	if strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if t := strings.TrimSpace(lines[i]); t == "---" || t == "..." {
				end = i
				break
			}
		}
	} else {
		first, end = 0, unfencedFrontMatter(lines)
	}
	if end < 0 {
		return 0
	}
	block := strings.Join(lines[first:end], "\n")
	fields := map[string]string{}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(block), &doc); err == nil {
		for k, v := range doc {
			fields[k] = strings.TrimSpace(fmt.Sprint(v))
		}
	} else {
		// Agent files often hold unquoted descriptions with colons, which
		// are not valid YAML; read them as "key: value" lines instead.
		for _, l := range lines[first:end] {
			if k, v, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(l, " ") && !strings.ContainsAny(k, " \t") {
				fields[k] = strings.TrimSpace(v)
			}
		}
	}
	p.g.Name, p.g.Description = fields["name"], fields["description"]
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	p.skip(1, "front matter", strings.Join(sortedStrings(keys), ", "))
	return end + 1
}

// unfencedFrontMatter returns the end of a first block of "key: value"
// lines with a name and a description ("name: data-migration-expert",
// "description: |" and its indented lines, "tools: Read, Grep"), or -1.
func unfencedFrontMatter(lines []string) int {
	keys := map[string]bool{}
	end := 0
	for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
		l := lines[end]
		switch m := yamlKeyLine.FindStringSubmatch(l); {
		case m != nil:
			keys[strings.ToLower(m[1])] = true
		case end > 0 && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
		default:
			return -1
		}
		end++
	}
	if !keys["name"] || !keys["description"] {
		return -1
	}
	return end
}

// yamlKeyLine is a line of front matter: a key, a colon, and a value or
// nothing.
// valueRule is a label that states a rule its list completes: what is
// forbidden, or the only places, values or ways allowed ("Secrets may live
// only in:", "These file names are forbidden here").
var valueRule = lazyre.New(`(?i)\b(are|is) (forbidden|prohibited|banned|not allowed|disallowed)\b|\b(must|may|can|should)( \w+){0,3} only\b|\bonly( \w+)? (allowed|permitted)\b`)

// pathRule reports whether a line of a path list states a rule about the
// files at the path (see pathNote).
// layoutParent is a list item that tells how to split the code ("Split the
// code by purpose:", "Organise the project into:"): the paths under it, each
// with what it holds, are the layout to keep, not files the agent reads.
// So is a bare "Layout:" label over such paths ("- Layout:" over
// "`internal/store` — database set-up"), in a list of rules.
var layoutParent = lazyre.New(`(?i)^(split|organi[sz]e|separate|structure|group|divide|arrange|lay out)\b.*\b(code|codebase|modules?|packages?|files|project|application|app)\b|^((project|code|package|source) )?layout:?$`)

// lastSection is the innermost part of an item's section path.
func lastSection(section string) string {
	if i := strings.LastIndex(section, " > "); i >= 0 {
		return section[i+3:]
	}
	return section
}

func pathRule(text string) bool {
	m := pathNote.FindStringSubmatch(text)
	return m != nil && !pathNoteAgent.MatchString(m[3])
}

// topicLabel reports whether parent, an item of a few words ending in a
// colon, only names the topic of child, a rule with a verb of its own.
func topicLabel(parent, child string) bool {
	name, ok := strings.CutSuffix(parent, ":")
	if !ok || len(strings.Fields(name)) > 3 || !valueItem(name) {
		return false
	}
	child = checkboxRe.ReplaceAllString(child, "")
	return len(strings.Fields(child)) >= 4 && !valueItem(child) && (statement.MatchString(child) || imperative.MatchString(child))
}

// valueItem is a list item that is a value for such a label: a short noun
// phrase or a list of names, with no verb of its own.
func valueItem(text string) bool {
	text = strings.NewReplacer("...", " ", "…", " ").Replace(parenthetical.ReplaceAllString(text, ""))
	text = strings.TrimRight(strings.TrimSpace(text), ".")
	return text != "" && len(strings.Fields(text)) <= 8 && !imperative.MatchString(text) && !verbish.MatchString(text)
}

var bareUsage = lazyre.New(`(?i)^usage$`)

// agentDone ticks off the agent's own activity ("Discovery done for the
// related files", "API contract confirmed"): a completion item about the
// work, where "Constraints in place" is about the code.
// localCheck is a change tried on the author's machine ("The migration was
// tested locally", "Checked in the local environment"): the author's own
// work, with nothing the code holds. docsFirst sends the agent to read
// documentation before it builds ("Check context7 first for the current
// documentation").
var (
	localCheck = lazyre.New(`(?i)\b(tested|checked|verified|tried) (locally|on your machine|in (the|a|your) local (environment|database|setup))\b`)
	docsFirst  = lazyre.New(`(?i)^(check|consult|read|search|look up)\b.{0,30}\bfor (the )?((current|latest|newest|up-to-date) )?(documentation|docs)\b`)
)

// responsibilityTitle is a heading over a role's responsibilities, whose
// third-person verbs ("Handles every error and logs it") are the role's
// work on the service, not what a tool does.
var responsibilityTitle = lazyre.New(`(?i)\bresponsibilit(y|ies)\b`)

var agentDone = lazyre.New(`(?i)^(discovery|analysis|research|investigation|exploration|planning|triage)\b[^.;]{0,50}\b(done|complete|completed|finished)\b|^[\w -]{1,30}\b(confirmed|agreed|discussed|signed off)\.?$`)

// placementLabel says where a kind of code or file lives ("Location:
// tests/ (unit, integration)") or how its files are named ("Versioned
// files: V001__create_table.sql"): a rule of the layout, not a pointer to
// rules kept elsewhere.
var placementLabel = lazyre.New(`(?i)^(locations?|director(y|ies)|folders?|placement|lives? in|home)\s*:|^(versioned|numbered|sequential)\b[^:]*:|^[^:]*\b(naming|file names?)\s*:`)

// styleStandard is a published style standard by its number ("PEP 8",
// "PSR-12"): a rule the code follows, not a technology and its version.
var styleStandard = lazyre.New(`(?i)^((follow|adhere to|comply with|conform to|stick to|keep to) (the )?)?(pep|psr)[ -]?\d+( style( guide(lines)?)?)?\.?$`)

// coverageContext heads the cases the tests must cover ("Coverage",
// "Test cases"): each bare case under it ("Error handling", "Database
// errors") is one more case to test, not a topic.
var coverageContext = lazyre.New(`(?i)^(test )?coverage$|^test cases$|^(what )?(the )?tests? (must |should )?cover$`)

// perEach states one thing for each of another ("Integration per
// endpoint"): a count a reviewer can check.
var perEach = lazyre.New(`(?i)\b(per|for (every|each))\s+[a-z]\w+`)

// codeShapeStep is a step that says where a kind of code lives or how it is
// cut: put it under a path, keep it thin, wrap it behind an adapter, route
// every operation of a kind through a layer ("Go through the repository
// pattern for every database operation").
var codeShapeStep = lazyre.New(`(?i)^(put|place|move|keep)\b[^;]{0,40}\b(in|into|inside|under)\s+\x60?[\w.-]+/|^keep\b[^;]{0,40}\b(handlers?|views?|controllers?|routes?|routers?|endpoints?)\b[^;]{0,20}\b(thin|small|lean|short)\b|^(wrap|isolate|hide)\b[^;]{0,40}\b(behind|in|inside)\b[^;]{0,20}\b(adapters?|interfaces?|wrappers?|facades?|clients?)\b|^(go through|use|follow|apply|route)\b[^;]{0,30}\b(repository|repositories|service layer|data access layer|unit of work)\b[^;]{0,40}\b(for|on|in) (every|each|all)\b`)

// practicesHeading names a body of rules beside the workflow in the same
// heading.
// withoutAsking is a heading's "without escalation" or "without
// approval": what the section does not involve.
var withoutAsking = lazyre.New(`(?i)\b(execute[sd]?|act|acts|proceed|work|done)? ?without (any |the user'?s |explicit |prior )*(escalations?|approvals?|confirmation|sign-?off|permission|coordination|hand-?offs?)\b`)

// defenceHeading names the layers of the service's defence ("Multi-Layered
// Defense Strategy", "Defence in Depth", "Security Layers"): inside the
// agent's approach it lists what the service must have.
var defenceHeading = lazyre.New(`(?i)\bdefen[cs]es?\b.*\b(strateg(y|ies)|layers?|in depth)\b|\bmulti-?layer(ed)? (defen[cs]e|security)\b|\bsecurity layers\b|\blayers of defen[cs]e\b`)

var practicesHeading = lazyre.New(`(?i)\b(best practices|standards|conventions|guidelines|rules)\b`)

var agentRulesTitle = lazyre.New(`(?i)^(ai )?agents?'?s? (rules|guidelines|instructions|standards|conventions|constraints|requirements|polic(y|ies)|principles)$`)

var yamlKeyLine = lazyre.New(`^([A-Za-z][\w-]*):(?:\s|$)`)

// blockEnd returns the line that closes a block opened at line i, or i when
// nothing closes it. A closing mark known to be absent is not searched for
// again, so a file of unclosed tags stays linear.
func (p *guideParser) blockEnd(lines []string, i int, closing string) int {
	if p.unclosed[closing] {
		return i
	}
	for end := i; end < len(lines); end++ {
		if strings.Contains(lines[end], closing) {
			return end
		}
	}
	if p.unclosed == nil {
		p.unclosed = map[string]bool{}
	}
	p.unclosed[closing] = true
	return i
}

func (p *guideParser) setHeading(level int, title string) {
	p.closeSection()
	for len(p.headings) < level {
		p.headings = append(p.headings, "")
	}
	p.headings = append(p.headings[:level-1], title)
	p.label = ""
	p.partsLine = 0
	p.stack = nil
	p.example = false
	p.agent = ""
	p.values.line = 0
	p.commands, p.tech = false, false
	api := false // under a heading about the service's API ("API Design Review")
	p.change = false
	for i, h := range p.headings {
		w := headingWords(h)
		if changeProcedure.MatchString(w) {
			p.agent, p.change = "", true
			continue
		}
		if p.change && procedureSteps.MatchString(w) {
			continue
		}
		p.commands = p.commands || commandHeading.MatchString(strings.TrimSpace(parenthetical.ReplaceAllString(w, "")))
		p.tech = p.tech || techContext.MatchString(w)
		if exampleHead.MatchString(w) && !patternsToFollow.MatchString(w) {
			p.example = true
		}
		// A checklist heading inside the agent's process ("Review Process >
		// Step 5: Apply Checklist") holds the rules it applies; under its
		// tools, coordination or output ("Tools > Standards Validation")
		// it names one more of those, which are never reopened.
		// "Workflow > Step 3: Database Schema Implementation" names the part
		// of the service the step builds, which holds what to require of
		// it, as a "Phase 3 Runtime & Kubernetes" label does; "Step 1:
		// Discovery & Analysis" stays the agent's activity.
		if strings.HasSuffix(p.agent, "the agent's own workflow") && systemStep(w) {
			p.agent = ""
			continue
		}
		// "Capabilities > CSRF Protection", "Capabilities > Database
		// Security": a part of what the agent can do titled by a protection
		// of the service lists the controls it puts in place, which a
		// reviewer can look for; "Capabilities > Languages" stays a list of
		// technologies.
		if strings.HasSuffix(p.agent, "a list of tools or technologies") && protectionHeading.MatchString(w) {
			p.agent = ""
			continue
		}
		if (strings.HasSuffix(p.agent, "the agent's own workflow") && (checklistHeading.MatchString(w) || defenceHeading.MatchString(w)) ||
			strings.HasSuffix(p.agent, "a description of the project") && preferenceHeading.MatchString(w)) && !priorityRules.MatchString(w) {
			p.agent = ""
			continue
		}
		// "Agent Rules", "AGENT Guidelines": the title of the rules the
		// agent keeps in the code it writes, not a section about the agent.
		if agentRulesTitle.MatchString(w) {
			continue
		}
		// "API Keys > Usage": how the keys are used. Only a "Usage" below
		// the title speaks of using the file.
		if i >= 2 && p.headings[i-1] != "" && bareUsage.MatchString(w) {
			continue
		}
		// "Standing Orders (Execute Without Escalation)": what the agent
		// does without asking anyone is its work on the code, not its
		// coordination with others.
		w = withoutAsking.ReplaceAllString(w, "")
		// "Stored Procedure Structure": a kind of database object, not a
		// procedure the agent follows.
		w = storedProcedure.ReplaceAllString(w, "routines")
		for _, s := range agentSections {
			if api && serviceResponse.MatchString(w) || apiResponse.MatchString(w) {
				break // "API Design Review > Response Format", "API Response Format": the API's responses
			}
			if p.agent == "" && h != "" && s.re.MatchString(w) {
				if i == 0 && i < len(p.headings)-1 && (s.reason == "the file itself, not the code" || s.reason == "a description of the project") {
					// "# Purpose" over "## Best Practices": a top-level
					// heading that says what the file is for opens the
					// document; its "##" sections are the document's own,
					// not parts of its purpose.
					break
				}
				if (s.reason == "the agent's own workflow" || s.reason == "a list of tools or technologies") && practicesHeading.MatchString(w) {
					// "Development Workflow & Best Practices", "Toolkit
					// MCP — Stack and Code Conventions": the heading
					// promises rules as well as steps or a stack.
					continue
				}
				p.agent = fmt.Sprintf("section %q is about %s", clean(h), s.reason)
				break
			}
		}
		api = api || apiHeading.MatchString(w)
	}
}

// headingWords is a heading without its numbering and decoration
// ("§ 2.1.3 Enforcement", "7) Quick Reference", "📋 Overview"), as its
// words are matched.
func headingWords(h string) string {
	h = headingNumber.ReplaceAllString(clean(h), "")
	return strings.TrimLeftFunc(h, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// systemStep says that a heading "Step N: Title" (or Phase, Stage) names
// the part of the service the step builds ("Database Schema
// Implementation", "API Endpoint Implementation", "Security Audit"), not
// only the agent's activity ("Complexity Check", "Implementation &
// Testing", "Performance Profiling").
func systemStep(h string) bool {
	m := phaseLabel.FindStringSubmatch(h)
	return m != nil && servicePart.MatchString(parenthetical.ReplaceAllString(m[2], ""))
}

// systemTitle says that a step's title names the part of the service the
// step builds ("Database Design", "Security Implementation"), in a few
// words, not a kind of trouble the agent looks into ("Database Issues").
//
// A step that studies what exists or is asked ("Analyze the API
// Requirements", "Code Analysis") is the agent's own activity whatever part
// it names; one titled by the tests, the data layer, the dependencies or
// secure code it writes ("Testing Considerations", "Data Layer
// Integration", "Dependency Management", "Secure Implementation") holds
// what to require of them.
func systemTitle(t string) bool {
	if len(strings.Fields(t)) > 4 || troubleTitle.MatchString(t) || studyTitle.MatchString(t) {
		return false
	}
	return servicePart.MatchString(t) || stepPart.MatchString(t)
}

var (
	studyTitle = lazyre.New(`(?i)^(analy[sz]e|review|understand|assess|study|explore|investigate|identify|gather)\b|\b(analysis|requirements|discovery|assessment)\b`)
	stepPart   = lazyre.New(`(?i)\b(tests?|testing|data layer|data access|dependenc(y|ies)|middleware)\b|^secure\b`)
)

// explainedInCode says that a sentence starting with "explain" puts the
// explanation in the code or is the SQL command EXPLAIN.
func explainedInCode(body string) bool {
	return codeExplanation.MatchString(body) || sqlExplain.MatchString(body)
}

// agentReason says why the item at hand is about the agent rather than the
// code, or "": its label decides when it has one (an agent label skips, a
// guidance label reopens a workflow section), else its headings.
func (p *guideParser) agentReason() string {
	if m := phaseLabel.FindStringSubmatch(p.label); m != nil {
		// "Phase 3 Runtime & Kubernetes" holds what to require of that
		// part of the system; "Phase 0 Inventory & Baseline" is the
		// agent's own activity.
		if !slices.ContainsFunc(strings.Fields(m[2]), func(w string) bool { return !phaseActivity.MatchString(w) }) {
			return fmt.Sprintf("label %q is the agent's own workflow", p.label)
		}
		return ""
	}
	for _, f := range p.stack {
		// "12. **Production DB Access**" above "- Connect through SSH
		// tunnels": a numbered bold title is the heading of its bullets,
		// nearer to them than a label above the list.
		for _, re := range titleSections {
			if re.MatchString(headingWords(f.title)) {
				return fmt.Sprintf("%q is how people work on the service, not a rule of its code", f.title)
			}
		}
	}
	// "When invoked, go through these steps:" over "3. **Database
	// Design**": a step titled by the part of the service it builds holds
	// what to require of it, as a "Step 3: Database Design" heading does.
	if len(p.stack) > 1 && systemTitle(p.stack[len(p.stack)-2].title) && workflowLabel.MatchString(p.label) {
		return ""
	}
	if p.label != "" {
		label := strings.TrimLeftFunc(p.label, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		// "Report these as security issues:" over "SQL built by string
		// concatenation": what to look for, not the report's format.
		if defectLabel.MatchString(label) {
			return ""
		}
		for _, s := range agentLabels {
			if s.re.MatchString(label) && !systemMeans.MatchString(label) {
				return fmt.Sprintf("label %q is about %s", p.label, s.reason)
			}
		}
		// "12. **Production DB Access**" above "- Connect through SSH
		// tunnels": a numbered bold title is the heading of its bullets.
		for _, re := range titleSections {
			if re.MatchString(headingWords(label)) {
				return fmt.Sprintf("label %q is how people work on the service, not a rule of its code", p.label)
			}
		}
		if guidanceLabel.MatchString(p.label) || systemMeans.MatchString(label) || stateLabel.MatchString(label) {
			return ""
		}
	}
	for _, f := range p.stack {
		// "1. **Discovery Phase**" above "Map every endpoint": the agent
		// finding its way around, before it checks anything.
		if discoveryPhase.MatchString(f.title) {
			return fmt.Sprintf("%q is the agent's own %s", f.title, "preparation")
		}
	}
	return p.agent
}

func (p *guideParser) section() string {
	var parts []string
	for _, h := range p.headings {
		if h != "" {
			parts = append(parts, h)
		}
	}
	if p.label != "" {
		parts = append(parts, p.label)
	}
	for _, f := range p.stack {
		parts = append(parts, f.title)
	}
	return strings.Join(parts, " > ")
}

func (p *guideParser) listItem(indent int, text string, line int) {
	p.flushItem()
	for len(p.stack) > 0 && p.stack[len(p.stack)-1].indent >= indent {
		p.stack = p.stack[:len(p.stack)-1]
	}
	text = checkboxRe.ReplaceAllString(text, "")
	if n := len(p.stack); n > 0 && len(p.g.Items) > 0 {
		// A parent with no text of its own ("- **Errors**" above nested
		// bullets) labels its children rather than being a rule.
		last := p.g.Items[len(p.g.Items)-1]
		// So does one that only names a body of guidance ("Model generation
		// guidance:"); other items ending in a colon ("Pair format:") are
		// often rules completed by their children.
		// So does a short name with a colon over a whole rule ("Pagination:"
		// over "List endpoints MUST page by cursor."): the rule needs no
		// completing.
		if last.Line == p.stack[n-1].line && (last.Text == last.Title || guidanceBody.MatchString(last.Text) || topicLabel(last.Text, text)) {
			p.g.Items = p.g.Items[:len(p.g.Items)-1]
			p.skip(last.Line, "label", last.Title)
		} else if last.Line == p.stack[n-1].line && last.Line != p.values.line && strings.HasSuffix(last.Text, ":") && valueRule.MatchString(last.Text) {
			// "Tokens may be stored only in:" kept as a rule: its values
			// complete it.
			p.values.line, p.values.text, p.values.item = last.Line, last.Title, len(p.g.Items)-1
		}
	}
	p.cur = &Item{Line: line, Section: p.section(), Text: text}
	p.stack = append(p.stack, listFrame{indent: indent, line: line})
}

// flushItem finishes the current list item: it becomes an item, a label for
// its children, or is skipped as an example.
func (p *guideParser) flushItem() {
	if p.cur == nil {
		return
	}
	it := *p.cur
	p.cur = nil
	raw := strings.TrimSpace(it.Text)
	code := codeOnly.MatchString(raw)
	raw = slugLead.ReplaceAllString(raw, "")
	title, body := splitLead(raw)
	if len(p.stack) > 0 {
		p.stack[len(p.stack)-1].title = strings.TrimSuffix(title, ":")
	}
	switch {
	case p.valueOf(it.Line, raw):
	case strings.Trim(title, ": ") == "":
		p.skip(it.Line, "empty item", "")
	case p.example || exampleLead.MatchString(clean(raw)) && !boldSpeaker(raw) || strings.Contains(raw, "<example>"):
		p.skip(it.Line, "example", excerpt(clean(raw)))
	case body == "" && strings.HasSuffix(title, ":"):
		p.skip(it.Line, "label", title)
		if valueRule.MatchString(title) {
			p.values.line, p.values.text, p.values.item = it.Line, strings.TrimSuffix(clean(title), ":"), -1
		}
	case body == "" && boldLabelItem.MatchString(raw):
		// "1. **Dependency Changes**:" over nested bullets, as "Label:".
		p.skip(it.Line, "label", title)
	case code && !negativeRe.MatchString(near(it.Section)) || namesOnly.MatchString(raw) && len(strings.Fields(strings.Trim(raw[:strings.Index(raw, "`")], "*: "))) <= 3 && !namesRule.MatchString(clean(raw)) && !routeNames.MatchString(clean(raw)) && !headerNames.MatchString(clean(raw)) || p.commands && (strings.Contains(raw, "`") || len(p.stack) > 1 || strings.HasSuffix(raw, ":")):
		// Under "Build / Lint / Test", an item in code marks or nested
		// under a label ("Run all tests:" over "pytest -q") is a command.
		// Under "❌ Forbidden:" or "Never:" a bare span ("`any`", "`throw
		// new Error()`") is a construct the code must not hold (round 57).
		p.skip(it.Line, "example", excerpt(clean(raw))+" (a command or a name, not a check)")
	default:
		it.Title = strings.TrimSuffix(title, ":")
		it.Text = clean(raw)
		p.add(it)
	}
}

// valueOf folds a list item into the rule label above it when it is one
// of the label's values ("Secrets may live only in:" over "server-side
// environment variables"): the label and its values are one rule, on the
// label's line. It reports whether the item was taken.
func (p *guideParser) valueOf(line int, raw string) bool {
	if p.values.line == 0 {
		return false
	}
	n := len(p.stack)
	under := n >= 2 && p.stack[n-2].line == p.values.line || n == 1 && p.label != "" && p.label == p.values.text
	if !under {
		return false
	}
	v := clean(raw)
	if !valueItem(v) {
		return false
	}
	if p.values.item < 0 {
		// The item sits where its label does, outside the label's list.
		stack, label := p.stack, p.label
		p.stack = p.stack[:max(n-2, 0)]
		if n == 1 {
			p.label = ""
		}
		section := p.section()
		p.stack, p.label = stack, label
		before := len(p.g.Items)
		p.add(Item{Line: p.values.line, Section: section, Title: p.values.text, Text: p.values.text + ": " + v})
		p.values.item = -2 // not added: its values are skipped with it
		if len(p.g.Items) > before {
			p.values.item = len(p.g.Items) - 1
		}
	} else if p.values.item >= 0 && p.values.item < len(p.g.Items) && p.g.Items[p.values.item].Line == p.values.line {
		sep := "; "
		if strings.HasSuffix(p.g.Items[p.values.item].Text, ":") {
			sep = " "
		}
		p.g.Items[p.values.item].Text += sep + v
	}
	p.skip(line, "value", excerpt(v)+" (one of the values of the rule above it: "+excerpt(p.values.text)+")")
	return true
}

// add records an item. Under a heading or label such as "Don't" or
// "Avoid", the item is a prohibition: the heading goes into its title so
// that "- use eval" does not read as advice to use eval.
func (p *guideParser) add(it Item) {
	if len(it.Text) > maxItemText {
		// A paragraph of many kilobytes is a document, not one thing to
		// check; reading it costs more than a whole agent file does.
		p.skip(it.Line, "too long", fmt.Sprintf("%d characters, more than one checklist item holds (%d): %s", len(it.Text), maxItemText, excerpt(it.Text)))
		return
	}
	if p.offeredItems++; p.offeredItems > MaxGuidelineItems {
		p.g.TooMany = true
		return
	}
	p.secSeen++
	if bareCapability(it.Text) || skillArea(it.Text) {
		p.secBare++
	}
	if !p.splitting && !p.barInCode(it.Line) {
		if lead, entries := pipeEntries(it.Text); entries != nil {
			// "Security checklist: Input validation | SQL injection
			// prevention | Rate limiting": one item per entry, under the
			// lead.
			p.splitting = true
			defer func() { p.splitting = false }()
			section := it.Section
			if lead != "" {
				section += " > " + lead
			}
			for _, e := range entries {
				p.add(Item{Line: it.Line, Section: section, Title: e, Text: e})
			}
			return
		}
	}
	if p.offered != nil {
		*p.offered = append(*p.offered, it)
	}
	if why := p.agentReason(); why != "" && !ruleInAgentSection(why, it) {
		if !p.rescue {
			p.skip(it.Line, "agent section", why+": "+excerpt(it.Text))
			return
		}
		it.agent = why
	}
	if p.change && runStep.MatchString(it.Text) {
		// "Run the tests of the entities that changed" in a procedure for
		// a kind of change: when the agent runs something, not what the
		// code holds.
		p.skip(it.Line, "agent section", "a step of a change procedure that runs something: "+excerpt(it.Text))
		return
	}
	body := it.Text
	if it.Title != "" && strings.HasPrefix(body, it.Title+": ") {
		body = strings.TrimPrefix(body, it.Title+": ")
	}
	// The rule itself, after a bold lead and its colon or dash.
	lead := body
	if it.Title != "" && it.Title != body && strings.HasPrefix(body, it.Title) {
		lead = strings.TrimLeft(strings.TrimPrefix(body, it.Title), " :-–—")
	}
	switch {
	case stepAim.MatchString(it.Title) && it.Title != it.Text && phaseLabel.MatchString(headingWords(lastSection(it.Section))):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (what a step of the agent's method sets out to do, not a rule)")
		return
	case qualityLabel.MatchString(p.label) && it.Title != "" && it.Title != it.Text && len(strings.Fields(it.Title)) <= 2 && !strings.ContainsAny(it.Text, "0123456789`"):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a quality the code should have, named by an adjective, with nothing to check)")
		return
	case judgedCheck.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (asks for a judgement, with no criterion)")
		return
	case judgedLead(lead):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (asks for a judgement, with no criterion)")
		return
	case choiceAdvice.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a choice between alternatives, with no criterion)")
		return
	case tierMark.MatchString(it.Title) && it.Title != it.Text:
		p.skip(it.Line, "optional", excerpt(it.Text)+" (the file says it does not block a change)")
		return
	case judgedQuestion.MatchString(it.Title):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (asks for a judgement, with no criterion)")
		return
	case cliCommand.MatchString(it.Text) && !commandAsExample(it.Text) && !commandGate.MatchString(it.Text) && !passCondition.MatchString(it.Text) && (p.commands || strings.Contains(lead, ": ") || runsCommand(lead) || useCommand.MatchString(body) || startsWithCommand(it.Text) || runLabelCommand(it.Text) || slices.ContainsFunc(sentences(it.Text), runsCommand)):
		// "One test: `./gradlew test --tests X`", "Full build: `./gradlew
		// clean build` compiles and runs the tests": a label over the command
		// line it names (round 57); "Build: `dotnet build` finishes clean"
		// says what it must give, a gate.
		p.skip(it.Line, "example", excerpt(it.Text)+" (a command to run, not a check)")
		return
	case testRun.MatchString(it.Text) && !ciWords.MatchString(it.Text) && !passCondition.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (the agent runs the tests: its own work, not a property of the code)")
		return
	case fileScope.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (where the file applies, not a rule of the code)")
		return
	case serviceMap.MatchString(it.Text):
		p.skip(it.Line, "prose", excerpt(it.Text)+" (a map of the services and their ports, not a rule)")
		return
	case acronymStack.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (styles or technologies named, not a check)")
		return
	case envLine(it.Text):
		p.skip(it.Line, "example", excerpt(it.Text)+" (an environment variable's name and values, not a check)")
		return
	case buildTask.MatchString(it.Text) && !buildLabel.MatchString(it.Text) && !strings.ContainsAny(it.Text, "0123456789(") && !principleEvidence.MatchString(it.Text) &&
		!defectName.MatchString(it.Text) && !securityNoun.MatchString(it.Text) && !dataControl.MatchString(it.Text) && !testWords.MatchString(it.Text) && !schemaWords.MatchString(it.Text) && !schemaBuild.MatchString(it.Text) && !schemaBuildClause.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a thing to build, with nothing a reviewer can hold the code to)")
		return
	case openQuestion.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (an open question, not a property to check)")
		return
	case reviewWork.MatchString(it.Text) && !cleanAnalysis.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (about the agent's own review, not the code)")
		return
	case (strings.Contains(it.Text, "->") || strings.Contains(it.Text, "→") || strings.Contains(it.Text, "agent")) && delegation.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (work handed to another agent)")
		return
	case deliberatedItem(it.Text):
		p.skip(it.Line, "vague", it.Text+" (says it was thought about or judges it, with no criterion)")
		return
	case fileList.MatchString(it.Text) && !pathRule(it.Text) && !layoutParent.MatchString(lastSection(it.Section)):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (files the agent looks at, not a check)")
		return
	case fileRole(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (a map of the project's files, not a check)")
		return
	case referenceContext.MatchString(it.Section) && titleCase(it.Text) && !imperative.MatchString(it.Text):
		p.skip(it.Line, "bare topic", it.Text+" (a category of a published list, not something to check)")
		return
	case aspiration.MatchString(body) && !strings.ContainsAny(body, "0123456789") && !apiDocs.MatchString(body):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a direction to work in, with no criterion to check)")
		return
	case versionPin.MatchString(it.Title) && it.Title != it.Text && !imperative.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a technology and its version, not a check)")
		return
	case changeNote.MatchString(it.Text) && changeLog.MatchString(it.Section):
		p.skip(it.Line, "prose", excerpt(it.Text)+" (a change already made, from the file's change log, not a rule)")
		return
	case procedureStep.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a step of a release procedure, not a property of the code)")
		return
	case (p.tech || techContext.MatchString(near(it.Section))) && !writtenLanguage(it.Text) && len(strings.Fields(it.Text)) <= 8 && !checkable.MatchString(parenthetical.ReplaceAllString(it.Text, "")) && !imperative.MatchString(it.Text) && !statement.MatchString(parenthetical.ReplaceAllString(it.Text, "")) && !strictMode.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a technology the project uses, not a check)")
		return
	case len(ruleIDRe.FindAllString(it.Text, 3)) >= 3:
		p.skip(it.Line, "index", excerpt(it.Text)+" (an index of rule ids, not a rule)")
		return
	case (agentConduct.MatchString(firstSentence(lead)) || agentConduct.MatchString(it.Title)) && !inventedCode.MatchString(lead):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (about what the agent may do, not about the code)")
		return
	case agentDone.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (the agent's own work marked done, not a state of the code)")
		return
	case localCheck.MatchString(it.Text) || docsFirst.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (the agent's own work: a change tried locally or documentation read first, not the code)")
		return
	case userAsks.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (what the agent does when the user asks, not about the code)")
		return
	case toolDescription.MatchString(lead) && !responsibilityTitle.MatchString(near(it.Section)):
		p.skip(it.Line, "prose", excerpt(it.Text)+" (describes what a tool does, not a rule)")
		return
	case techLine.MatchString(it.Text) && !imperative.MatchString(it.Text) && !statement.MatchString(it.Text) && !writtenLanguage(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a technology the project uses, not a check)")
		return
	case (bareFollow.MatchString(body) || it.Title != it.Text && bareFollow.MatchString(it.Title) && !principleEvidence.MatchString(lead)) && !strings.ContainsAny(body, "0123456789"):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (names a body of conventions, not what they require)")
		return
	case complianceTopics(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a compliance standard and the areas it covers, not what they require)")
		return
	case repoFact.MatchString(it.Text):
		p.skip(it.Line, "prose", excerpt(it.Text)+" (describes the repository, not a rule)")
		return
	case workstation.MatchString(it.Text):
		p.skip(it.Line, "prose", excerpt(it.Text)+" (describes the workstation, not a rule)")
		return
	case teamState.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (about the people on the team, not the code)")
		return
	case incidentStep.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (what people do after an incident, not a check of the code)")
		return
	case contribution.MatchString(it.Text) && !commentsOverCommits.MatchString(it.Text) && !dbCommit.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (about commits and pull requests, not the code)")
		return
	// "Always consider:" over "Growth and scaling plans": matters to weigh,
	// named without anything to do or reach; "Never log tokens" states a
	// rule, and "**Response Times**: Aim for responses under 200ms" a bound.
	case considerLabel.MatchString(near(it.Section)) && !strings.ContainsAny(it.Text, "0123456789:") &&
		!imperative.MatchString(it.Text) && !ruleEvidence.MatchString(it.Text) &&
		!defectName.MatchString(it.Text) && !controlState.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (under "+near(it.Section)+": a matter to weigh, not a check)")
		return
	// "PostgreSQL-specific features:" over "**Window Functions**: ranking,
	// partitioning": a catalogue of what a technology offers, where an
	// entry that says what to do ("Create throttling policies") is a rule.
	case featureLabel.MatchString(p.label) && !strings.ContainsAny(it.Text, "0123456789") &&
		!imperative.MatchString(it.Text) && !verbish.MatchString(strings.ReplaceAll(it.Text, ":", " ")) && !ruleEvidence.MatchString(it.Text) &&
		!defectName.MatchString(it.Text) && !controlState.MatchString(it.Text) && !mechanismEntry(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (under "+p.label+": what a technology offers, not a check)")
		return
	case permitted.MatchString(near(it.Section)):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (under "+near(it.Section)+": a permission, not a requirement)")
		return
	case versionPin.MatchString(it.Text) && !styleStandard.MatchString(it.Text):
		p.skip(it.Line, "vague", it.Text+" (a technology and its version, not a check)")
		return
	case techVersionLead(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a technology and its version, not a check)")
		return
	case strings.HasPrefix(strings.ToLower(it.Text), "assume "):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (an assumption, not a check)")
		return
	case placeholder.MatchString(it.Text):
		p.skip(it.Line, "placeholder", excerpt(it.Text)+" (template text to fill in)")
		return
	case hedgedBody(body) && !namedAnnotation.MatchString(body) && (len(strings.Fields(body)) <= 5 && !namedControl.MatchString(body) || allHedged(body) || hedgedObject.MatchString(body) && !defectName.MatchString(body) && !securityNoun.MatchString(body) && !dataControl.MatchString(body) && !ruleEvidence.MatchString(strings.TrimPrefix(mustLead.ReplaceAllString(body, ""), " "))):
		p.skip(it.Line, "vague", it.Text+" (says to do it properly without saying what proper is)")
		return
	case (reviewerVoice.MatchString(it.Title) || reviewerVoice.MatchString(body)) && !statusAnswer.MatchString(body) && !commentsOverCommits.MatchString(body) && !apiDocs.MatchString(near(it.Section)) && !explainedInCode(body):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (about what the reviewer says, not about the code)")
		return
	case changeProcess.MatchString(body) && !gateWords.MatchString(body):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (how a change is reviewed and merged, not the code)")
		return
	case optionalTier.MatchString(near(it.Section)):
		p.skip(it.Line, "optional", excerpt(it.Text)+" (under "+near(it.Section)+": the file says it does not block a change)")
		return
	case tasteAdvice.MatchString(body) && !strings.ContainsAny(body, "0123456789") && !defectName.MatchString(body) && !ruleEvidence.MatchString(body) && !dataControl.MatchString(body):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (arranges the code to taste, with no criterion to check)")
		return
	case principleHeading.MatchString(near(it.Section)) && it.Title != body && titleCase(it.Title) && aspirationOnly(lead):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a principle to aspire to, with nothing to check)")
		return
	case (imperative.MatchString(body) || buildTask.MatchString(body)) && onlyWhenNeeded.MatchString(body) && len(strings.Fields(body)) <= 6 && !namedControl.MatchString(body):
		p.skip(it.Line, "vague", it.Text+" (says to do it when needed without saying when that is)")
		return
	case vagueAudit.MatchString(it.Text) && !defectName.MatchString(anyVulnerability.ReplaceAllString(it.Text, "")):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (the agent's review, naming no defect to look for)")
		return
	case slogan.MatchString(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a quoted motto, with nothing to check)")
		return
	case valueRanking(body):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (ranks values, with nothing to check)")
		return
	case pointerOnly.MatchString(it.Text) && !pointerRule.MatchString(it.Text) && !placementLabel.MatchString(it.Text):
		p.skip(it.Line, "agent section", excerpt(it.Text)+" (points to another file, not a rule)")
		return
	case topicList(it.Text):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (a list of topics, with no defect, control or test named)")
		return
	case builtinTaste.MatchString(body):
		p.skip(it.Line, "vague", excerpt(it.Text)+" (prefers built-in features without naming one)")
		return
	case styleOnly(it.Text):
		p.skip(it.Line, "vague", it.Text+" (words of taste, nothing to check)")
		return
	case bareHandle.MatchString(body):
		p.skip(it.Line, "vague", it.Text+" (says to handle it, not how)")
		return
	case puffery.MatchString(it.Text):
		p.skip(it.Line, "vague", it.Text+" (says how well, not what)")
		return
	case topicContext.MatchString(near(it.Section)) && !negativeRe.MatchString(near(it.Section)) && len(strings.Fields(body)) <= 6 && !verbish.MatchString(strings.ReplaceAll(body, ":", " ")) && !checkable.MatchString(body) && !mechanismEntry(body) && !mechanismEntry(it.Text):
		p.skip(it.Line, "bare topic", it.Text+" (one more approach in a list of them, not something to check)")
		return
	case topicHead.MatchString(it.Text) && !schemaBuild.MatchString(it.Text) && !verbish.MatchString(strings.ReplaceAll(it.Text, ":", " ")) && !qualityLead.MatchString(it.Text) && !defectName.MatchString(it.Text) && !principleEvidence.MatchString(it.Text) && len(strings.Fields(it.Text)) <= 7 && !mechanismEntry(it.Text):
		p.skip(it.Line, "bare topic", it.Text+" (names a kind of approach, not something to check)")
		return
	// Under "❌ Forbidden:" a defect's name ("Silent failures") is what
	// the code must not hold, not a topic (round 57).
	case bareTopic(it.Text) && !schemaBuild.MatchString(it.Text) && !requirementContext.MatchString(it.Section) && !p.boxed && !negativeRe.MatchString(near(it.Section)) &&
		!coverageContext.MatchString(near(it.Section)) && !perEach.MatchString(it.Text) && !(controlLabel.MatchString(p.label) && controlNoun.MatchString(it.Text)) && !(stateLabel.MatchString(p.label) && !endsOnNoun(it.Text)) && !logLabel.MatchString(p.label) && !mechanismEntry(it.Text):
		p.skip(it.Line, "bare topic", it.Text+" (a topic, not something to check; context for the items beside it)")
		return
	}
	near := near(it.Section)
	if negativeRe.MatchString(near) && !negativeRe.MatchString(it.Title) {
		it.Title = near + ": " + it.Title
		it.Text = near + ": " + it.Text
	}
	p.g.Items = append(p.g.Items, it)
}

// ruleInAgentSection reports whether an item under a section about the
// agent or the project states a rule of the code all the same: the item's
// own words outweigh its section's. In the agent's process, a step with a
// lead whose body says what must hold ("confirm every route checks auth")
// or what to look for ("search for hardcoded credentials"); under its
// principles or a description of the project, an item that names a
// control or a default ("least privilege everywhere", "`IsAuthenticated`
// by default"). The rest of the agent's sections (coordination, output,
// tools) are never reopened, and the item still goes through every other
// check.
// builtStep reports whether a workflow step puts a named part of the
// service in place (see buildStep): a schema mechanism, a migration or
// its rollback, or a security control; "Test" only migrations and
// rollbacks ("Test the rollbacks", not "Test with sample data").
func builtStep(s string) bool {
	m := buildStep.FindString(s)
	if m == "" {
		return false
	}
	rest := s[len(m):]
	if strings.EqualFold(m, "test") {
		return migrationWord.MatchString(rest)
	}
	return schemaWords.MatchString(rest) || migrationWord.MatchString(rest) || securityNoun.MatchString(rest)
}

// stackSection is a section that lists the project's stack, and
// codeInstruction an instruction about how its code is written.
var (
	stackSection    = lazyre.New(`(?i)^section "[^"]*\b(tech(nology)? stack|stack|tooling)"`)
	codeInstruction = lazyre.New(`(?i)^(write|use|prefer|avoid|skip|do not use|don't use|never use|keep)\b`)
)

// exclusiveTool is a stack entry that rules out the alternatives.
var exclusiveTool = lazyre.New(`(?i)\b(never|only)\b`)

func ruleInAgentSection(why string, it Item) bool {
	if strings.Contains(why, "tools or technologies") && strictMode.MatchString(it.Text) {
		// "Language: TypeScript (strict mode)" under "Tech Stack": the
		// mode the code is held to, a setting to check.
		return true
	}
	if strings.Contains(why, "tools or technologies") && stackSection.MatchString(why) && codeInstruction.MatchString(it.Text) {
		// "Tech Stack > Python version" over "Write modern syntax: X | Y
		// unions": how the stack's code is written. Under "Capabilities" or
		// "Expertise" an instruction is the agent's own work.
		return true
	}
	if strings.Contains(why, "tools or technologies") && exclusiveTool.MatchString(it.Text) {
		// "uv: package manager; never pip", "Python 3.13 only" under "Tech
		// Stack": an entry that rules out the alternatives is a choice the
		// code is held to, not a technology the agent knows.
		return true
	}
	if strings.Contains(why, "topics or technologies") || strings.Contains(why, "tools or technologies") {
		// "Focus areas:" over "Schema changes stay compatible backwards and
		// forwards": a clause that says what must hold of the code, not a
		// topic the agent knows.
		// "How indexes are created or dropped" names a topic all the same.
		// "Review how credentials are handled" under "Capabilities" is
		// what the agent does: an instruction, or a subject that is a
		// question, is no clause about the code.
		m := subjectVerb.FindString(it.Text)
		return m != "" && !imperative.MatchString(m) && !agentActivity.MatchString(m) &&
			!slices.ContainsFunc(strings.Fields(m), func(w string) bool { return openQuestionWord.MatchString(w) || w == "that" || w == "if" })
	}
	if !strings.HasPrefix(why, "section ") && !strings.Contains(why, "workflow") {
		return false
	}
	body := strings.TrimLeft(strings.TrimPrefix(it.Text, it.Title), " :-–—")
	switch {
	case strings.Contains(why, "workflow") && yesNoCheck(it.Text):
		return true
	case strings.Contains(why, "workflow") && responsibilityHeading.MatchString(why) && (mechanismNamed(it.Text) || it.Title != it.Text && mechanismNamed(body)):
		// "Primary Responsibilities" over "Manage schema changes through
		// versioned migrations", "Encrypt data at rest and in transit": a
		// role's work that names the mechanism a reviewer finds in the
		// code, where "Tune queries for speed" names only an activity.
		return true
	case strings.Contains(why, "workflow") && responsibilityLead.MatchString(it.Text):
		// "Agent Roles > **Responsibilities:** Design schemas, write
		// migrations": a role's work on the service, not its process.
		return true
	case strings.Contains(why, "workflow") && (builtStep(it.Text) || it.Title != it.Text && builtStep(body)):
		return true
	case strings.Contains(why, "workflow") && codeShapeStep.MatchString(it.Text):
		// "Put business logic in lib/ or services/", "Keep app/api/
		// handlers thin", "Wrap external providers in adapter functions":
		// where code lives and how it is cut, whoever writes it.
		return true
	case strings.Contains(why, "workflow") && (schemaBuild.MatchString(it.Text) || hasTests.MatchString(it.Text)):
		// A completion checklist's state of the code ("Constraints in
		// place (FK, NOT NULL)", "New functionality has tests"), where
		// "Dependency scan done" and "Findings ranked" are the agent's.
		return true
	case strings.Contains(why, "workflow") && codeState.MatchString(it.Text):
		// A done list's state of the code ("The route layer only
		// orchestrates", "Every test passes").
		return true
	case strings.Contains(why, "workflow") && hookRule.MatchString(it.Text):
		// "Run the formatters and linters in pre-commit hooks": a check the
		// repository's configuration runs on every commit, whoever commits.
		return true
	case strings.Contains(why, "workflow") && (syncRule.MatchString(it.Text) || placeRule.MatchString(it.Text) || commentsOverCommits.MatchString(it.Text)):
		// "Update `openapi.json` whenever an API endpoint changes", "Keep
		// AWS-specific code inside `infra/`": what the repository must
		// hold, whoever does the work.
		return true
	case strings.Contains(why, "workflow"):
		if it.Title == it.Text || strings.HasPrefix(it.Text, it.Title+".") || strings.HasPrefix(it.Text, it.Title+":") {
			// A step without a lead ("Check for the common
			// vulnerabilities: injection, XSS ...", "Verify how secrets are
			// handled"): the whole step must say what to look for.
			named := anyVulnerability.ReplaceAllString(it.Text, "")
			return searchStep.MatchString(it.Text) && (defectName.MatchString(named) || securityNoun.MatchString(named)) ||
				findStep.MatchString(it.Text) && defectName.MatchString(named)
		}
		// "check for the most common vulnerabilities" names no defect.
		named := anyVulnerability.ReplaceAllString(body, "")
		return confirmStep.MatchString(body) ||
			searchStep.MatchString(body) && (defectName.MatchString(named) || securityNoun.MatchString(named))
	case strings.HasPrefix(why, `section "Scope" `) && strings.Contains(why, "the file itself"):
		// "Scope" over "Every endpoint validates its body with a Pydantic
		// model", "Errors are returned as problem details": what the code
		// the file covers must do, where "These instructions cover the
		// Django project" and "Covers this repository" say where it applies.
		return !fileSubject.MatchString(it.Text) &&
			(ruleEvidence.MatchString(it.Text) || quantifiedClause.MatchString(it.Text) || subjectVerb.MatchString(it.Text))
	case strings.Contains(why, "a description of the project"):
		// "Every endpoint returns JSON — no templates are rendered" in an
		// overview: a sentence that says what every member of a part of the
		// code does is a rule the overview states, as under "Scope"; "No
		// custom models yet" states nothing to hold.
		return ruleEvidence.MatchString(it.Text) || defectName.MatchString(it.Text) ||
			quantifiedLabel.MatchString(it.Text) && !fileSubject.MatchString(it.Text)
	case strings.Contains(why, "how the agent goes about its own work"):
		return ruleEvidence.MatchString(it.Text) || defectName.MatchString(it.Text)
	case strings.Contains(why, "how the agent writes its review"):
		// "Language > Comments: English": the language of the code and
		// its documents, not of the agent's answers.
		return codeLanguage.MatchString(it.Text)
	}
	return false
}

var (
	// fileSubject opens a sentence about the file, its rules or the agent
	// rather than the code: "These instructions cover ...", "Covers this
	// repository", "This agent handles ...".
	fileSubject = lazyre.New(`(?i)^(this|these|the|our) (file|files|instructions?|rules|guides?|guidelines|documents?|agents?|conventions)\b|^(covers|applies|this applies)\b|\b(agents?\.md|claude\.md)\b`)
	// quantifiedClause is a clause about every or no member of a part of
	// the code: "Every endpoint validates ...", "No handler opens ...".
	quantifiedClause = lazyre.New(`(?i)^(every|each|all|no)\s+([\w-]+\s+){1,3}[\w-]+s\b`)
)

// codeLanguage is a "Label: language" line whose label is a part of the
// code or of its documents.
var codeLanguage = lazyre.New(`(?i)^(source )?(code|comments?|identifiers?|(variable|function|class) names|names|docstrings?|documentation|docs|log (messages|lines)|error messages|api docs)\s*:`)

// humanLanguage names a language people speak, as the value of such a line.
var humanLanguage = lazyre.New(`(?i):\s*(english|german|french|spanish|portuguese|italian|dutch|polish|russian|ukrainian|turkish|japanese|chinese|korean|arabic|hindi)\b`)

// writtenLanguage is "Comments: English": the language the code and its
// documents are written in, a rule a reviewer checks, not a technology.
func writtenLanguage(text string) bool {
	return codeLanguage.MatchString(text) && humanLanguage.MatchString(text)
}

func (p *guideParser) tableRow(row string, line int) {
	p.table++
	if tableSepRe.MatchString(row) {
		return
	}
	cells := tableCells(row)
	for i := range cells {
		cells[i] = clean(strings.ReplaceAll(cells[i], `\|`, "|"))
	}
	if p.table == 1 {
		p.tally = slices.ContainsFunc(cells, tallyColumn.MatchString)
		p.triage = slices.ContainsFunc(cells, severityColumn.MatchString) && slices.ContainsFunc(cells, responseColumn.MatchString)
		p.describe = slices.ContainsFunc(cells, describeColumn.MatchString)
		p.recommend = slices.ContainsFunc(cells, recommendColumn.MatchString)
		p.skip(line, "table header", strings.Join(cells, " | "))
		return
	}
	if p.triage {
		p.skip(line, "agent section", excerpt(strings.Join(cells, " | "))+" (a level of a triage scale: how findings are answered, not a rule)")
		return
	}
	if p.tally && slices.ContainsFunc(cells, isCount) && !slices.ContainsFunc(cells, func(c string) bool { return len(strings.Fields(c)) > 3 }) {
		// "| 1 | Async Correctness | CRITICAL | 5 |": a table of categories
		// by priority, with how many rules each has.
		p.skip(line, "index", excerpt(strings.Join(cells, " | "))+" (a category and its count, not a rule)")
		return
	}
	if len(cells) >= 4 && !imperative.MatchString(cells[0]) && !slices.ContainsFunc(cells[1:], func(c string) bool { return len(strings.Fields(c)) > 2 }) && !routeRow(cells) {
		// "| Async Replica + Auto | Minutes | Minutes | Medium |": options
		// compared on a few short measures, not a rule.
		p.skip(line, "vague", excerpt(strings.Join(cells, " | "))+" (a row of a comparison table, not a rule)")
		return
	}
	if p.describe && !p.recommend && !slices.ContainsFunc(cells, func(c string) bool {
		return statement.MatchString(c) || imperative.MatchString(c) || principleEvidence.MatchString(c) || defectName.MatchString(c)
	}) {
		// "| `models/` | SQLAlchemy ORM |" under "| Layer | Purpose |": a
		// part and what it is, not a rule; "| `routes/` | HTTP handling
		// only |" says what must hold.
		p.skip(line, "prose", excerpt(strings.Join(cells, " | "))+" (describes a part of the project, not a rule)")
		return
	}
	var rest []string
	for _, c := range cells[1:] {
		if c != "" {
			rest = append(rest, c)
		}
	}
	if cells[0] == "" {
		p.skip(line, "empty table row", "")
		return
	}
	if ratings := len(slices.DeleteFunc(slices.Clone(rest), func(c string) bool { return !ratingCell.MatchString(c) })); ratings >= 2 {
		// "| Schema per tenant | High | Medium | Regulated data |": options
		// rated against each other, none of them required.
		p.skip(line, "vague", excerpt(strings.Join(cells, " | "))+" (rates an option against others, not a rule)")
		return
	}
	text := cells[0]
	if len(rest) > 0 {
		text += ": " + strings.Join(rest, "; ")
	}
	p.add(Item{Line: line, Section: p.section(), Title: cells[0], Text: text})
}

// routeRow reports whether a table row maps an operation to its HTTP method
// and the status it answers ("| Create resource | POST | /api/v1/articles |
// 201 Created |"): the API's contract for that route, which a reviewer
// holds the handlers against, not options compared on short measures.
func routeRow(cells []string) bool {
	return slices.ContainsFunc(cells, httpMethodCell.MatchString) && slices.ContainsFunc(cells, statusCell.MatchString)
}

var (
	httpMethodCell = lazyre.New(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$`)
	statusCell     = lazyre.New(`^[1-5]\d\d( [A-Z][\w -]*)?$`)
)

// ratingCell is a table cell that only rates ("High", "Medium",
// "Very low", "⭐⭐⭐").
var ratingCell = lazyre.New(`(?i)^((very|quite) )?(low|lower|lowest|medium|moderate|high|higher|highest|none|minimal|good|better|best|poor|fair|excellent)$|^[⭐★☆]+$`)

// The labels of a list written as one-line paragraphs (round 57).
var (
	// partsLabel is a label that asks for the parts that follow ("Every new
	// route must have", "Each migration needs").
	partsLabel = lazyre.New(`(?i)\b(must|should|shall)( always| also)? (have|include|contain|carry|declare|define|provide|specify)$|^(each|every) \S+( \S+)? (has|includes|contains|carries|needs|requires)$`)
	// pronounLead opens a sentence that speaks of what came before ("This
	// keeps routes uniform."), not a part of its own.
	pronounLead = lazyre.New(`(?i)^(this|that|these|those|it|they|we|you|i)\b`)
)

// endParagraph turns the pending prose into a label, an imperative item, or
// skipped prose.
func (p *guideParser) endParagraph() {
	if len(p.para) == 0 {
		return
	}
	text := clean(strings.Join(p.para, " "))
	line := p.paraLine
	lines, at := p.para, p.paraLines
	p.para, p.paraLines = nil, nil
	switch {
	case len(lines) > 1 && boldTitleLine.MatchString(strings.TrimSpace(lines[len(lines)-1])) && allBoldLead(lines[:len(lines)-1]):
		// "**Detection:** A route returns the model itself\n**Action:**"
		// over a list: the bold-lead lines are read as such, the bare bold
		// label at the end labels the list.
		last := strings.TrimSuffix(clean(lines[len(lines)-1]), ":")
		for i, l := range lines[:len(lines)-1] {
			m := boldLineRe.FindStringSubmatch(strings.TrimSpace(l))
			title, rest := clean(m[1]+m[3]), clean(m[2]+m[4])
			if metaLead.MatchString(title) || rationaleLead.MatchString(title) || strings.HasSuffix(rest, ":") {
				p.skip(at[i], "prose", excerpt(title+": "+rest))
				continue
			}
			p.add(Item{Line: at[i], Section: p.section(), Title: title, Text: title + ": " + rest})
		}
		p.label = last
		p.stack = nil
		p.skip(at[len(at)-1], "label", last)
	case strings.HasSuffix(text, ":") && len(lines) > 1 && boldTitleLine.MatchString(strings.TrimSpace(lines[0])) && len(sentences(clean(strings.Join(lines[1:], " ")))) > 1:
		// "**2. Secure API Key Setup:**\nNever hard-code the key. Put it in
		// `.env`:" over an example: the title labels what follows, and the
		// sentences under it are prose to read for rules, the last one
		// without the colon that opens the example.
		title := strings.TrimSuffix(clean(lines[0]), ":")
		p.label = title
		p.stack = nil
		p.skip(line, "label", title)
		p.para, p.paraLines, p.paraLine = lines[1:], at[1:], at[1]
		p.para[len(p.para)-1] = strings.TrimSuffix(strings.TrimSpace(p.para[len(p.para)-1]), ":")
		p.endParagraph()
		p.label = title
	case !p.example && rulesBeforeLabel(text) != "":
		// "Never throw a plain `new Error()`. Throw an `AppError`, which the
		// error middleware formats:" over an example: the sentences before
		// the last are prose to read for rules; the last labels the example.
		prose := rulesBeforeLabel(text)
		p.para, p.paraLines, p.paraLine = []string{prose}, []int{line}, line
		p.endParagraph()
		p.label = strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(text, prose)), ":")
		p.stack = nil
		p.skip(line, "label", p.label)
	case strings.HasSuffix(text, ":"):
		p.label = strings.TrimSuffix(text, ":")
		p.stack = nil
		if capsModal.MatchString(p.label) || quantifiedLabel.MatchString(p.label) && !openLabelEnd.MatchString(p.label) || p.overCode && !p.example && ruleOverCode(p.label) || limitLabel.MatchString(p.label) {
			// "Multi-Layer Validation (ALWAYS use it for uploads):" over
			// its example: the rule, and the label of what follows.
			label := p.label
			p.label = ""
			p.add(Item{Line: line, Section: p.section(), Title: strings.TrimSpace(parenthetical.ReplaceAllString(label, "")), Text: label})
			p.label = label
			return
		}
		p.skip(line, "label", p.label)
		if valueRule.MatchString(p.label) {
			p.values.line, p.values.text, p.values.item = line, p.label, -1
		}
		p.partsLine = 0
		if partsLabel.MatchString(p.label) {
			p.partsLine = at[len(at)-1]
		}
	case p.example:
		p.skip(line, "example", excerpt(text))
	case p.partsLine > 0 && line-p.partsLine <= 2 && len(lines) == 1 && len(sentences(text)) == 1 && !pronounLead.MatchString(text) && !agentUse.MatchString(text) && !agentProse.MatchString(text) && !describes.MatchString(text):
		// "Every new route must have:" over "A path and HTTP method
		// decorator." and "Pydantic models for the request and the
		// response.", each a paragraph of one line: a list written without
		// list marks, each line a part the label asks for.
		p.partsLine = line
		p.add(Item{Line: line, Section: p.section(), Title: firstSentence(text), Text: text})
	case prohibitionPara.MatchString(strings.TrimSpace(lines[0])):
		// "**BANNED:** `app = Flask(__name__)` at module level — it breaks
		// testing": a prohibition written as a paragraph.
		m := prohibitionPara.FindStringSubmatch(clean(strings.Join(lines, " ")))
		rest := clean(m[2])
		head, _, _ := strings.Cut(rest, " — ")
		title := strings.ToUpper(m[1]) + ": " + firstSentence(head)
		p.add(Item{Line: line, Section: p.section(), Title: title, Text: strings.ToUpper(m[1]) + ": " + rest})
	case ledParagraph(lines, rationaleParaLead):
		// "**Why**: Services do not know they sit behind HTTP. ...": the
		// reason for the rule beside it, never a rule itself, whatever
		// "never" or "must" its sentences hold.
		p.skip(line, "prose", excerpt(text)+" (the reason for a rule, not a rule)")
	case ledParagraph(lines, choiceLabel):
		// "**Use when:** services call each other.", "**Best for:** most
		// applications.": when to choose an option, not what to hold the
		// code to.
		p.skip(line, "vague", excerpt(text)+" (when to choose an option, not a rule)")
	case ledParagraph(lines, patternLead):
		// "**The pattern**: Services return domain errors. Handlers map them
		// to HTTP status codes.": the lead says what follows is the pattern
		// to keep, so each sentence is a rule, whatever its grammar; one
		// that speaks to the agent stays prose.
		m := boldLineRe.FindStringSubmatch(strings.TrimSpace(lines[0]))
		lead := clean(m[1] + m[3])
		_, rest, _ := strings.Cut(text, ":")
		rest = strings.TrimLeft(rest, "*_ ")
		if len(sentences(rest)) == 1 {
			// "**Pattern**: one router module per resource": the lead
			// titles its one rule.
			p.add(Item{Line: line, Section: p.section(), Title: lead, Text: lead + ": " + rest})
			return
		}
		for _, s := range sentences(rest) {
			sl := sentenceLine(lines, at, s, line)
			if agentUse.MatchString(s) || agentProse.MatchString(s) {
				p.skip(sl, "prose", excerpt(s))
				continue
			}
			p.add(Item{Line: sl, Section: p.section(), Title: firstSentence(s), Text: s})
		}
	case soleRuleLine(lines, near(p.section())):
		// "**Key:** Keep IaC modular, never hard-code secrets." after a
		// pattern, or "**Docker:** Multi-stage builds, a non-root user" on
		// its own under "Best Practices": one bold-lead line that is a rule.
		m := boldLineRe.FindStringSubmatch(strings.TrimSpace(lines[0]))
		title, rest := clean(m[1]+m[3]), clean(m[2]+m[4])
		p.add(Item{Line: line, Section: p.section(), Title: title, Text: title + ": " + rest})
	case boldLines(lines):
		// "**DRY Principle:** Extract blocks repeated three or more times"
		// on lines of their own: a list written as bold-lead lines, each
		// an item; a bare bold label first labels the lines after it.
		for i, l := range lines {
			raw := strings.TrimSpace(l)
			if i == 0 && boldLabelItem.MatchString(raw) {
				p.label = strings.TrimSuffix(clean(raw), ":")
				p.skip(at[i], "label", p.label)
				continue
			}
			m := boldLineRe.FindStringSubmatch(raw)
			if m == nil {
				p.add(Item{Line: at[i], Section: p.section(), Title: firstSentence(clean(raw)), Text: clean(raw)})
				continue
			}
			title, rest := clean(m[1]+m[3]), clean(m[2]+m[4])
			if metaLead.MatchString(title) {
				p.skip(at[i], "prose", excerpt(title+": "+rest)+" (the file's metadata, not a rule)")
				continue
			}
			if strings.HasSuffix(rest, ":") {
				// "**Rule:** For code that handles external input:" opens
				// the lines after it.
				p.skip(at[i], "label", excerpt(title+": "+rest))
				continue
			}
			if rationaleLead.MatchString(title) {
				p.skip(at[i], "prose", excerpt(title+": "+rest)+" (the reason or occasion for a rule, not a rule)")
				continue
			}
			p.add(Item{Line: at[i], Section: p.section(), Title: title, Text: title + ": " + rest})
		}
	case responsibilityLead.MatchString(text):
		// "**Responsibilities:** Build the endpoints, JWT handling, role
		// checks": a role's work on the service in one line, an item to
		// judge like a responsibility bullet, not persona prose.
		title, _, _ := strings.Cut(text, ":")
		p.add(Item{Line: line, Section: p.section(), Title: title, Text: text})
	case requirementLead.MatchString(text):
		// "Invariants: ..." states requirements in prose, without imperatives.
		title, _, _ := strings.Cut(text, ":")
		p.add(Item{Line: line, Section: p.section(), Title: title, Text: text})
	case tickLines(lines):
		// "✅ At most 300 lines per file\n❌ Three attempts at most": a
		// list drawn with ticks and crosses instead of list marks; a cross
		// makes a prohibition.
		for i, l := range lines {
			mark, s := splitTick(clean(l))
			if strings.ContainsRune("❌✗✘", mark) && !prohibitionLead.MatchString(s) {
				s = "Avoid: " + s
			}
			p.add(Item{Line: at[i], Section: p.section(), Title: firstSentence(s), Text: s})
		}
	case ruleLines(lines):
		// One rule per line, without list marks ("Follow PEP 8.\nEvery
		// endpoint has an integration test."): a list written as prose.
		// Each line is an item, unless it speaks to the agent or describes
		// the project.
		for i, l := range lines {
			s := clean(l)
			switch {
			case agentUse.MatchString(s) || agentProse.MatchString(s):
				p.skip(at[i], "prose", excerpt(s))
			case describes.MatchString(s):
				p.skip(at[i], "prose", excerpt(s)+" (describes the project or the agent, not a rule)")
			default:
				p.add(Item{Line: at[i], Section: p.section(), Title: firstSentence(s), Text: s})
			}
		}
	default:
		// Prose is mostly persona ("You are an expert..."); only sentences
		// that state a rule (imperatives, "always", "never") become items.
		var rest []string
		restLine := 0
		for _, s := range sentences(text) {
			sl := sentenceLine(lines, at, s, line)
			// "CRITICAL: Give every JSONB default as a lambda ...": the
			// sentence is judged by what follows its severity word.
			if t := severityLead.ReplaceAllString(s, ""); t != s && imperative.MatchString(t) && !agentUse.MatchString(t) && !agentProse.MatchString(t) {
				p.add(Item{Line: sl, Section: p.section(), Title: firstSentence(s), Text: s})
				continue
			}
			if m := whenYouDo.FindStringSubmatch(s); m != nil && (imperative.MatchString(m[3]) || thenDo.MatchString(m[3])) ||
				mustSentence.MatchString(s) && !mustJudge.MatchString(s) && !agentProse.MatchString(s) && !agentUse.MatchString(s) && !describes.MatchString(s) ||
				mustCheck.MatchString(s) && (defectName.MatchString(s) || securityNoun.MatchString(s) || strings.Contains(strings.ToLower(s), "validat")) ||
				rfc2119.MatchString(s) && !agentUse.MatchString(s) ||
				bannedSentence.MatchString(s) && !agentProse.MatchString(s) && !agentUse.MatchString(s) ||
				(proseRule.MatchString(s) || namedRule.MatchString(s) || statusMap.MatchString(s) || responseShape.MatchString(s) || placeProse.MatchString(s) || noneMay.MatchString(s) || whenCode(s)) && !agentProse.MatchString(s) && !agentUse.MatchString(s) && !describes.MatchString(s) || (imperative.MatchString(s) || ruleWords.MatchString(s)) && !agentUse.MatchString(s) && !agentProse.MatchString(s) {
				p.add(Item{Line: sl, Section: p.section(), Title: firstSentence(s), Text: s})
			} else {
				if rest == nil {
					restLine = sl
				}
				rest = append(rest, s)
			}
		}
		if rest != nil {
			p.skip(restLine, "prose", excerpt(strings.Join(rest, " ")))
		}
	}
}

// ledParagraph reports whether a paragraph opens with a bold lead that lead
// matches, its colon inside or after the bold, and goes on with text on the
// same line; a paragraph of several bold-lead lines is boldLines' to read.
func ledParagraph(lines []string, lead *lazyre.Regexp) bool {
	m := boldLineRe.FindStringSubmatch(strings.TrimSpace(lines[0]))
	return m != nil && lead.MatchString(clean(m[1]+m[3])) && !boldLines(lines)
}

// patternLead is a bold lead that says the text after it is the pattern,
// convention or practice to keep ("**The pattern**:", "**Convention:**").
var patternLead = lazyre.New(`(?i)^(the |our )?(pattern|convention|practice|contract|policy)$`)

// rationaleParaLead is a bold lead that gives the reason for a rule
// ("**Why**:", "**Rationale:**"), opening a paragraph of its own.
var rationaleParaLead = lazyre.New(`(?i)^(why|reasons?|rationale|background)$`)

// boldLines reports whether a paragraph is lines that each open with a bold
// lead and its colon and go on with text ("**Single Responsibility:** One
// concern per function"), the first one possibly a bare bold label over
// lines of "a | b | c" lists.
func boldLines(lines []string) bool {
	for i, l := range lines {
		raw := strings.TrimSpace(l)
		switch {
		case boldLineRe.MatchString(raw):
		case i == 0 && len(lines) > 1 && boldLabelItem.MatchString(raw):
		case i > 0 && boldLabelItem.MatchString(strings.TrimSpace(lines[0])) && strings.Count(raw, " | ") >= 2:
		default:
			return false
		}
	}
	// One bold-lead line alone is as often metadata ("**Version:** 1.0",
	// "**Role:** ...", "**Start here:** read ...") as a rule.
	return len(lines) > 1
}

// allBoldLead reports whether every line opens with a bold lead and its
// colon and goes on with text.
func allBoldLead(lines []string) bool {
	for _, l := range lines {
		if !boldLineRe.MatchString(strings.TrimSpace(l)) {
			return false
		}
	}
	return len(lines) > 0
}

// soleRuleLine reports whether a paragraph of one bold-lead line is a rule
// (boldLines takes two or more): its lead says it sums up the rule
// ("**Key:**", "**Takeaway:**") and the rest is an instruction, or it
// stands under a heading of practices or standards and its lead names a
// part of the stack rather than the file's metadata or a reason.
func soleRuleLine(lines []string, heading string) bool {
	if len(lines) != 1 {
		return false
	}
	m := boldLineRe.FindStringSubmatch(strings.TrimSpace(lines[0]))
	if m == nil {
		return false
	}
	title, rest := clean(m[1]+m[3]), clean(m[2]+m[4])
	switch {
	case metaLead.MatchString(title) || rationaleLead.MatchString(title) || strings.HasSuffix(rest, ":"):
		return false
	case keyLead.MatchString(title):
		return imperative.MatchString(rest)
	}
	return practiceHeading.MatchString(heading) && strings.Count(rest, ",") >= 2
}

// namedRule is a sentence that names itself a rule before it states it
// ("Dependency rule: imports only point down.", "Golden rule: one
// transaction per request."): what follows the lead is the rule, whatever
// its grammar.
var namedRule = lazyre.New(`(?i)^([\w-]+ ){0,2}rule: \S`)

// statusMap is prose that gives the HTTP status of each case ("Usual
// errors: 400 (validation), 401 (not authenticated), 403 (forbidden)"):
// three codes or more with their cases, what each answer must be.
var statusMap = lazyre.New(`\b[1-5]\d\d \([^)]+\)(,| or| and)? [^.]*\b[1-5]\d\d \([^)]+\)(,| or| and)? [^.]*\b[1-5]\d\d \([^)]+\)`)

// responseShape is a response format given as labelled JSON ("Success:
// {"success": true, "data": {...}} Error: {...}"): the envelope every
// answer must have.
var responseShape = lazyre.New(`(?i)^(success|error|failure|ok)( (responses?|body|format))?: \{\s*"\w+"\s*:`)

// responseLabel is a one-word label over a JSON block under a heading about
// responses ("Success:", "Error:", "List:" over the envelope of each kind of
// answer): with its block, the shape every such answer must have.
var responseLabel = lazyre.New(`(?i)^(success|error|failure|ok|list|paginated|created|empty)( (responses?|body|format|envelope|shape))?$`)

// responseHeading is a heading about the service's responses ("Standard
// Response Formats", "Response Envelope").
var responseHeading = lazyre.New(`(?i)\bresponses?( \w+)? (formats?|envelopes?|shapes?|bodies|structures?)\b|\b(formats?|envelopes?|shapes?) of (the )?responses?\b`)

// whenCodeDo is a sentence that makes a check conditional on a part of the
// code ("When the endpoint returns a set of rows, check that the size of the
// result is capped"): the condition names what it applies to, the rest is an
// instruction.
var whenCodeDo = lazyre.New(`(?i)^(when|if|whenever) (the|an?|each|every|any) ([\w-]+ )?(endpoints?|routes?|handlers?|quer(y|ies)|requests?|responses?|services?|functions?|methods?|tables?|models?|migrations?|columns?|jobs?|tasks?|apis?|fields?|tests?)\b[^,]*, (.*)$`)

// whenCode reports whether s is a conditional instruction about a part of
// the code (whenCodeDo) whose instruction is an imperative.
func whenCode(s string) bool {
	m := whenCodeDo.FindStringSubmatch(s)
	return m != nil && imperative.MatchString(m[len(m)-1])
}

// severityLead is a severity word and its colon before a sentence
// ("CRITICAL: ...", "IMPORTANT: ...").
var severityLead = lazyre.New(`(?i)^(critical|important|required|mandatory|warning|attention)\s*:\s*`)

// noneMay is a prohibition with "no" for its subject ("Critical: No test may
// depend on another", "No handler can reach the database"), after an
// optional word of weight.
var noneMay = lazyre.New(`(?i)^((critical|important|required|mandatory|rule|note)\s*:\s*)?no [\w-]+( [\w-]+){0,2} (may|can|shall|should|must) (ever )?[a-z]`)

// placeProse says in a sentence where a kind of code lives ("Guards live
// in files named <stem>_guard.py", "Handlers go in app/api/"): a layout
// rule, as a placement label is.
var placeProse = lazyre.New(`(?i)^[\w -]{1,40}\b(live|lives|belong|belongs|go|goes|sit|sits) (in|under|inside) (files named |modules named |the )?\S*[/_.<][\w<>]\S*`)

// boldTitleLine is a line that is only a bold title and its colon, the
// colon inside or outside the bold ("**2. Secure API Key Setup:**").
var boldTitleLine = lazyre.New(`^(?:\*\*|__)[^*_]+(?::(?:\*\*|__)|(?:\*\*|__):)\s*$`)

// namedAnnotation is a hedge that names the annotation or decorator that
// does the work ("Handle exceptions properly with @ControllerAdvice"):
// that says what proper is.
var namedAnnotation = lazyre.New(`(?i)\b(with|through|via|using|in) (an? |the )?@[a-z_]\w*`)

// keyLead is a bold lead that sums up the rule of what comes before it
// ("**Key:**", "**Key takeaway:**", "**Bottom line:**").
var keyLead = lazyre.New(`(?i)^(key( (points?|takeaways?|rules?))?|takeaways?|bottom line)$`)

// practiceHeading is a heading over a file's practices or standards
// ("Best Practices", "Coding Standards").
var practiceHeading = lazyre.New(`(?i)\b(best practices|practices|standards|conventions)$`)

// boldLineRe is a line that opens with a bold lead and a colon, inside or
// after the bold, and goes on with text.
var boldLineRe = lazyre.New(`^(?:\*\*|__)([^*_]+?):(?:\*\*|__)\s*(\S.*)$|^(?:\*\*|__)([^*_]+?)(?:\*\*|__):\s*(\S.*)$`)

// rationaleLead is a bold lead that gives a rule's reason or occasion
// ("**Why:**", "**Trigger:**", "**Stop condition:**"), or a note; or says
// when to choose an option ("**Use when:**", "**Best for:**").
var rationaleLead = lazyre.New(`(?i)^(why|reason|rationale|note|tip|context|background|purpose|goal|trigger|stop condition|when to skip|skip workflow when|example|e\.g\.)( [\w ]+)?$|` + choiceLabel.String())

// choiceLabel is a label over the cases that suit an option, or a lead
// before them ("Appropriate for:", "Best for:", "Use when:", "Decision
// heuristic:"): when to choose it, not what the code must hold. "Not
// appropriate for:" says where the option must not be used, a rule.
var choiceLabel = lazyre.New(`(?i)^((most |best |well )?(appropriate|suited|suitable|ideal|best) (for|when)|(use|choose|pick|prefer) (it |this |them )?when|when to (choose|pick|prefer)( (it|this|them))?|decision (heuristics?|guide)|rules? of thumb)$`)

// metaLead is a bold lead of a file's metadata ("**Version:** 1.0").
var metaLead = lazyre.New(`(?i)^(version|author|owner|maintainer|date|created|updated|last (updated|reviewed)|status|role|model|type|id|category|priority|tags?)$`)

// barInCode reports whether the source line of an item has a " | " inside a
// `code` span ("Prefer PEP 604 unions: `X | Y`, `X | None`"): a union type or a
// shell pipe, which cleaning leaves in the text with its marks removed, not
// the separator of an "a | b | c" list.
func (p *guideParser) barInCode(line int) bool {
	if line < 1 || line > len(p.src) {
		return false
	}
	inCode := false
	src := p.src[line-1]
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '`':
			inCode = !inCode
		case inCode && strings.HasPrefix(src[i:], " | "):
			return true
		}
	}
	return false
}

// pipeEntries splits an "a | b | c" list written in one line (outside code
// marks) into its entries, three or more of a few words each, and returns
// the lead before the first one ("Security checklist: Input validation |
// ..."). Anything else gives no entries.
func pipeEntries(text string) (lead string, entries []string) {
	if strings.Count(text, " | ") < 2 || strings.Count(text, "`")%2 != 0 {
		return "", nil
	}
	parts := strings.Split(text, " | ")
	if i := strings.LastIndex(parts[0], ": "); i >= 0 {
		lead, parts[0] = strings.TrimSpace(parts[0][:i]), parts[0][i+2:]
	}
	for _, e := range parts {
		e = strings.TrimSpace(strings.TrimLeft(e, "☐☑✓✔ "))
		if e == "" || len(strings.Fields(e)) > 10 {
			return "", nil
		}
		entries = append(entries, e)
	}
	return lead, entries
}

// namesRule is a "Label: `a`, `b`" line whose label is itself a rule
// ("Require secure sessions: `SESSION_COOKIE_SECURE=True`, ..."): a verb
// that demands and the thing it demands, not a list of names; or whose
// label quantifies a part of the service ("Every table: `created_at`,
// `updated_at`"), so the names are what each of them must have.
var namesRule = lazyre.New(`(?i)^(require|enforce|set|enable|disable|forbid|ban)\s+\w+|^(every|each|all)\s+(\w+\s+)?(tables?|models?|entit(y|ies)|rows?|endpoints?|routes?|responses?|requests?|handlers?|services?|migrations?|records?|resources?|columns?|events?|messages?|jobs?|tasks?|logs?( lines?| entries)?)\s*:`)

// responsibilityHeading is the reason given for a section headed as the
// agent's responsibilities ("Primary Responsibilities").
var responsibilityHeading = lazyre.New(`(?i)^section "[^"]*\bresponsibilit(y|ies)"`)

// mechanismNamed reports whether a responsibility is an instruction that
// names a mechanism a reviewer can find in the code (encryption,
// transactions, versioned migrations, an API version; authentication and
// rate limiting put in place), where "Handle user authentication" or
// "Design API documentation" names only an area.
func mechanismNamed(text string) bool {
	return (imperative.MatchString(text) || roleVerb.MatchString(text)) && len(strings.Fields(text)) >= 4 &&
		(mechanismWords.MatchString(text) || putInPlace.MatchString(text) && !handleVerb.MatchString(text))
}

// roleVerb opens a responsibility with the work of keeping something up,
// or with the role's verb in the third person ("Designs REST APIs ...",
// "Puts OAuth 2.0 and JWT in place"), or wires a part in.
var roleVerb = lazyre.New(`(?i)^(manage|maintain|version|rate-limit)\b|^(designs|builds|implements|handles|puts|writes|uses|adds|defines|enforces|creates|sets up|integrates|wires?( \w+)? in)\b`)

// "Keep every change auditable" names an audit trail to find; "Run
// security audits" is the agent's activity.
// Named mechanisms count as well: an OpenAPI document, a message queue,
// OAuth, JWT or role-based access control, dependency injection.
var mechanismWords = lazyre.New(`(?i)\b(encrypt\w*|transactions?|migrations?|version (the|an|each) api|api versions?|versioned|auditable|audit (trails?|logs?|logging)|openapi|swagger|message (queues?|brokers?)|oauth|jwts?|rbac|role-based access|dependency injection|(errors?|exceptions?) and logs (it|them))\b`)

// putInPlace is authentication, authorization or rate limiting put in place
// ("Put authentication and authorization in place", "Rate-limit the public
// API"), which the labelling policy counts as checkable; "Handle user
// authentication" names the area it works in.
var putInPlace = lazyre.New(`(?i)\b(authenticat\w*|authori[sz]ation|rate[- ]limit\w*)\b`)
var handleVerb = lazyre.New(`(?i)^handles?\b`)

// headerNames is a "Label: `X-RateLimit-Limit`, `Retry-After`" line whose
// label says the spans are HTTP headers: the headers the responses must
// carry, not names to look for.
var headerNames = lazyre.New(`(?i)^[^:]{0,40}\bheaders?\s*:`)

// commandGate is a command followed by the result it must give ("mypy:
// `uv run poe typecheck` - no errors", "pytest: `make test` - all tests
// pass, coverage ≥ 80%"): a gate the code must pass, not a command to run.
var commandGate = lazyre.New(`(?i)\s[-–—]\s+((no|zero) (errors?|warnings?|failures?|findings?)\b|(all )?(tests?|checks?|lint( and format)?|format)( \w+)? pass(es)?\b|.*\bcoverage\s*(≥|>=|at least)\s*\d+\s*%|the (contract|schema|spec|lock ?file)\b.*\b(is|are) (current|up to date|in sync)\b)`)

// strictMode is a technology named with the mode the code is held to
// ("TypeScript (strict mode)"): a setting to check, not a technology alone.
var strictMode = lazyre.New(`(?i)\bstrict( mode|\))`)

// routeNames is a "Label: `GET /`, `POST /`" line: the routes a resource
// must have, methods and paths, not names to look for.
var routeNames = lazyre.New(`^[^:]{1,40}: (GET|POST|PUT|PATCH|DELETE|HEAD) /\S*(, (GET|POST|PUT|PATCH|DELETE|HEAD) /\S*)+`)

// tickLines reports whether a paragraph is two or more lines that each
// open with a tick or a cross and hold some words after it.
func tickLines(lines []string) bool {
	if len(lines) < 2 {
		return false
	}
	for _, l := range lines {
		if mark, s := splitTick(clean(l)); mark == 0 || len(strings.Fields(s)) < 2 {
			return false
		}
	}
	return true
}

// splitTick splits "✅ text" into its mark and its text; a line without
// one gives a zero mark.
func splitTick(s string) (rune, string) {
	for _, m := range "✅❌✓✔✗✘" {
		if rest, ok := strings.CutPrefix(s, string(m)); ok {
			return m, strings.TrimSpace(strings.TrimPrefix(rest, "\ufe0f"))
		}
	}
	return 0, s
}

// prohibitionLead opens a line that already forbids ("NEVER ...", "No
// ...", "Don't ...").
var prohibitionLead = lazyre.New(`(?i)^(never|no|not|don'?t|do not|avoid)\b`)

// ruleLines reports whether a paragraph is three or more lines that each
// hold one whole sentence, starting with a word and ending with a full
// stop: rules written one per line without list marks. Wrapped prose ends
// its lines mid-sentence.
func ruleLines(lines []string) bool {
	if len(lines) < 3 {
		return false
	}
	for _, l := range lines {
		c := clean(l)
		r := []rune(c)
		if len(r) == 0 || !unicode.IsLetter(r[0]) || !strings.HasSuffix(c, ".") || len(sentences(c)) != 1 {
			return false
		}
	}
	return true
}

// sentenceLine is the line a sentence of a paragraph starts on: the first
// of the paragraph's lines that holds its first words.
func sentenceLine(lines []string, at []int, s string, fallback int) int {
	head := s
	if f := strings.Fields(s); len(f) > 4 {
		head = strings.Join(f[:4], " ")
	}
	for i, l := range lines {
		if strings.Contains(clean(l), head) {
			return at[i]
		}
	}
	return fallback
}

// isCount reports whether a table cell is a bare number.
func isCount(c string) bool {
	return c != "" && strings.Trim(c, "0123456789") == ""
}

// closeSection looks at the items of the section that ends: when there are
// three or more and every one only names work the agent does ("Design and
// build REST API endpoints", "Handle data transformation and business
// logic", "Integrate payment gateways"), with no quantifier, figure,
// prohibition, default, security part, data control or test, the section
// lists the agent's responsibilities, whatever its heading says, and its
// items are skipped.
func (p *guideParser) closeSection() {
	items := p.g.Items[min(p.secStart, len(p.g.Items)):]
	if len(items) >= 3 && !slices.ContainsFunc(items, func(it Item) bool {
		return !capabilityLead.MatchString(it.Text) || strings.ContainsAny(it.Text, "0123456789") ||
			principleEvidence.MatchString(it.Text) || ruleEvidence.MatchString(it.Text) || defectName.MatchString(it.Text) ||
			securityNoun.MatchString(it.Text) || dataControl.MatchString(it.Text) || testWords.MatchString(it.Text)
	}) {
		for _, it := range items {
			p.g.Skipped = append(p.g.Skipped, Skipped{Line: it.Line, Kind: "agent section",
				Text: "every item of the section names work the agent does (its responsibilities): " + excerpt(it.Text)})
		}
		p.g.Items = p.g.Items[:p.secStart]
	}
	p.dropCapabilities(p.g.Items[min(p.secStart, len(p.g.Items)):])
	p.secStart, p.secSeen, p.secBare = len(p.g.Items), 0, 0
}

// bareCapability reports whether an item is a generic verb and a bare noun
// phrase ("Design RESTful APIs", "Implement caching strategies", "Conduct
// security audits and code reviews"): no qualifier, condition, quantity,
// code span, modal or punctuation that adds one, and no security part,
// defect, data control or test, which a checklist names the same way
// ("Implement proper input validation and sanitization"). It names a
// capability or a topic, not something a reviewer can check.
func bareCapability(text string) bool {
	m := capabilityVerb.FindStringSubmatch(text)
	if m == nil {
		return false
	}
	rest := strings.TrimSuffix(strings.TrimSpace(text[len(m[0]):]), ".")
	n := len(strings.Fields(rest))
	return n >= 1 && n <= 6 && !strings.ContainsAny(rest, "`0123456789():;—–/\"") && !capabilityQualifier.MatchString(rest) &&
		!securityNoun.MatchString(rest) && !defectName.MatchString(rest) && !dataControl.MatchString(rest) && !testWords.MatchString(rest)
}

// skillArea reports whether an item names a field of skill rather than
// something about the code: a gerund of a generic verb ("Designing and
// implementing high-performance services"), a skill of something
// ("Command of asyncio", "Expertise in PostgreSQL"), or a discipline named
// without a verb ("Test-driven development with unit tests", "Distributed
// systems patterns: ...", "Observability and monitoring of production
// systems"). Such items only count towards a capabilities list; alone they
// are left to the other checks.
func skillArea(text string) bool {
	if skillLead.MatchString(text) {
		return true
	}
	return disciplineWord.MatchString(text) && !imperative.MatchString(text) && !subjectVerb.MatchString(text) &&
		!ruleEvidence.MatchString(text) && !principleEvidence.MatchString(text)
}

// dropCapabilities judges a section by its content: when three or more of
// the items it offered (counted before the other checks skipped any) and
// more than half are bare capabilities, the section is the agent's
// capabilities list whatever its heading, and every kept item that
// qualifies nothing goes with them; otherwise a bare capability alone is a
// topic and only it goes. Items that say "must", "never", "every", "only",
// "before", give a figure or a code span stay either way; in a
// capabilities list a preposition no longer does ("under heavy load").
func (p *guideParser) dropCapabilities(items []Item) {
	if p.secBare == 0 || len(items) == 0 {
		return
	}
	list := p.secSeen >= 3 && 2*p.secBare > p.secSeen
	kept := items[:0]
	for _, it := range items {
		switch {
		case bareCapability(it.Text) && !schemaBuild.MatchString(it.Text):
			why := " (a generic verb and a bare noun phrase: a capability or topic, not something to check)"
			if list {
				why = " (most items of the section are bare capabilities: the agent's capabilities list)"
			}
			p.skip(it.Line, "bare topic", it.Text+why)
		case list && !strings.ContainsAny(it.Text, "`0123456789") && !ruleEvidence.MatchString(it.Text) && !principleEvidence.MatchString(it.Text) && !schemaBuild.MatchString(it.Text):
			p.skip(it.Line, "agent section", "most items of the section are bare capabilities (the agent's capabilities list): "+excerpt(it.Text))
		default:
			kept = append(kept, it)
		}
	}
	p.g.Items = append(p.g.Items[:min(p.secStart, len(p.g.Items))], kept...)
}

func (p *guideParser) flush() {
	p.flushItem()
	p.endParagraph()
}

func (p *guideParser) skip(line int, kind, text string) {
	p.g.Skipped = append(p.g.Skipped, Skipped{Line: line, Kind: kind, Text: text})
}

// quantified says which things a rule covers ("for every function").
var quantified = lazyre.New(`(?i)\b(every|each|all|any|full)\b`)

// styleOnly reports whether an item is mostly words of taste: two or more,
// and more than one word in five ("Write concise, efficient, idiomatic code"),
// so that a rule with substance beside them ("clean code that enforces
// business rules and data integrity") stays.
func styleOnly(text string) bool {
	n := len(styleWord.FindAllString(text, -1))
	return n >= 2 && 5*n > len(strings.Fields(text)) && !checkable.MatchString(text) && !quantified.MatchString(text)
}

// deliberatedItem reports whether an item of two to seven words, remarks
// in brackets aside and without a figure, ends in a word that says it was
// thought about or judges it ("Rate limiting is considered", "Data types
// are optimal", "Nullable columns are intentional", "PII handling
// compliant").
func deliberatedItem(text string) bool {
	if strings.ContainsAny(text, "0123456789") {
		return false
	}
	if strings.Contains(text, "(") {
		text = parenthetical.ReplaceAllString(text, "")
	}
	words := strings.Fields(text)
	return len(words) >= 2 && len(words) <= 7 && judgeWords[strings.ToLower(strings.TrimSuffix(words[len(words)-1], "."))]
}

// aspirationOnly reports whether the text of a named principle
// ("**Defense in Depth:** Use several layers of security controls", "**Open
// Design:** Favour transparent mechanisms") states only what to aspire to:
// no quantifier, prohibition or default, no defect, no figure. "**Complete
// Mediation:** Validate and authorise every access request" and "**Least
// Privilege:** Grant only the permissions they need" say what to check.
// Principles written without a name ("Make operations idempotent") are
// left to the other checks: they are as often rules as aspirations.
func aspirationOnly(body string) bool {
	return !principleEvidence.MatchString(body) && !defectName.MatchString(body) && !strings.ContainsAny(body, "0123456789")
}

// topicList reports whether an item is a label of up to three words and a
// list of four or more short topics without articles ("Best Practices: SOLID, DRY, naming, modularity",
// "Maintainability: clarity, docs, complexity hot spots, dead code"),
// none of which names a defect, a security part or a test: the reviewer
// is told where to look, not what must hold. "Performance: ..., N+1
// queries, ... leaks" and "Security: ..., input validation, handling of
// secrets" stay.
func topicList(text string) bool {
	label, lead, ok := strings.Cut(text, ": ")
	if !ok || len(strings.Fields(label)) > 3 || strings.ContainsAny(lead, ".;0123456789") || namesRule.MatchString(text) {
		return false // "Every table: created_at, ...": what each must have
	}
	entries := strings.Split(lead, ",")
	if len(entries) < 4 {
		return false
	}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if len(strings.Fields(e)) > 4 || verbish.MatchString(e) || topicEntry.MatchString(e) || article.MatchString(e) {
			return false
		}
	}
	// "Security headers: HSTS, X-Frame-Options, ...": the label names a
	// control and the entries which of it to set.
	return !defectName.MatchString(lead) && !securityNoun.MatchString(lead) && !controlNoun.MatchString(label)
}

// complianceStandard is the name of a compliance standard or regulation.
var complianceStandard = lazyre.New(`(?i)^(soc ?[12]( type (1|2|i|ii))?|pci[- ]?dss|gdpr|hipaa|iso ?27001|ccpa|fedramp)$`)

// complianceTopics reports whether an item is a compliance standard over a
// list of the areas it covers ("SOC2: access control, audit logging,
// incident response", "PCI DSS: data protection, network security"): the
// standard's table of contents, not what it requires of the code. "GDPR:
// never write personal data to the logs" says what must hold.
func complianceTopics(text string) bool {
	label, lead, ok := strings.Cut(text, ": ")
	if !ok || !complianceStandard.MatchString(strings.TrimSpace(label)) || strings.ContainsAny(lead, ".;0123456789") {
		return false
	}
	entries := strings.Split(lead, ",")
	if len(entries) < 2 {
		return false
	}
	for _, e := range entries {
		e = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(e), "and "))
		if e == "" || len(strings.Fields(e)) > 4 || verbish.MatchString(e) || article.MatchString(e) || negativeRe.MatchString(e) {
			return false
		}
	}
	return true
}

// valueRanking reports whether an item only ranks values against each
// other ("Correct always beats convenient", "Simple is preferred, but safe
// is required", "D-R-Y > simplicity > cleverness"): every word is a value
// or a word that ranks, and at least two values are named.
func valueRanking(body string) bool {
	values := 0
	for _, w := range strings.Fields(strings.ToLower(body)) {
		w = strings.Trim(w, ".,;:!")
		switch {
		case w == "":
		case valueWord.MatchString(w):
			values++
		case !rankWord.MatchString(w):
			return false
		}
	}
	return values >= 2
}

// yesNoCheck reports whether an item is a yes / no question that a
// reviewer answers by looking at the code ("Are inputs validated?", "Are
// there injection risks?"): it names a defect, or asks whether a control
// is in place. Under "Questions to ask:" such a question is a check, while
// "Is sensitive data handled properly?", "Are naming conventions
// consistent?" and "Could this scale?" ask for a judgement.
func yesNoCheck(text string) bool {
	if !yesNoQuestion.MatchString(text) || hedged.MatchString(text) {
		return false
	}
	return defectName.MatchString(text) || controlState.MatchString(text)
}

// hedgedBody reports whether an item hedges ("properly", "appropriate"):
// "explicitly" only hedges when the item names no element of the code
// ("Be handled explicitly"); "Always set __tablename__ explicitly" says
// what to write.
func hedgedBody(body string) bool {
	for _, m := range hedged.FindAllStringIndex(body, -1) {
		word := body[m[0]:m[1]]
		if strings.EqualFold(word, "good") && knownGood.MatchString(body[:m[0]]) {
			continue // "accept only known good values": an allowlist
		}
		if !strings.EqualFold(word, "explicitly") || !codeIdent.MatchString(body) {
			return true
		}
	}
	return false
}

// knownGood ends the text before "good" in "known good values", "known-good
// inputs".
var knownGood = lazyre.New(`(?i)\bknown[- ]$`)

// codeIdent is a name from the code: snake_case, a dunder, a call, a
// dotted name.
var codeIdent = lazyre.New(`\w+_\w+|\w+\(\)|\w+\.\w+`)

// judgedLead reports whether the text after a lead is a yes / no question
// that only judges ("Are they optimised?", "Are errors caught and logged
// appropriately? (structured logging)"): a remark in brackets that states
// a criterion ("(no shared mutable state)") keeps it.
func judgedLead(lead string) bool {
	q := strings.TrimSpace(parenthetical.ReplaceAllString(lead, ""))
	if !yesNoQuestion.MatchString(q) && !judgedQuestion.MatchString(q) {
		return false
	}
	remark := strings.Join(parenthetical.FindAllString(lead, -1), " ")
	return (judgedQuestion.MatchString(q) || hedgedBody(q)) && !principleEvidence.MatchString(remark) &&
		!strings.ContainsAny(remark, "=0123456789") && !codeIdent.MatchString(remark)
}

// tierMark is a lead's mark that its items do not block a change
// ("SUGGESTION (non-blocking)").
var tierMark = lazyre.New(`(?i)\b(non-blocking)\b|\((optional|nice[ -]to[ -]have|suggestions?|low[ -]priority)\)`)

// techVersionLead reports whether an item opens with a technology and its
// version and says nothing more of the code ("PostgreSQL 15+ hosted on
// Render", "SQLAlchemy 2.x with async sessions"): no statement, imperative,
// quantifier, defect or state. "Indent with 4 spaces" is a figure, not a
// version: the words before the number are a name, not a phrase.
func techVersionLead(text string) bool {
	m := versionLead.FindString(text)
	if m == "" || len(strings.Fields(text)) > 10 || statement.MatchString(text) || imperative.MatchString(text) ||
		principleEvidence.MatchString(text) || defectName.MatchString(text) || stateEnd.MatchString(strings.TrimRight(text, ".")) {
		return false
	}
	f := strings.Fields(m)
	if slices.ContainsFunc(f[:len(f)-1], func(w string) bool { return functionWord[strings.ToLower(w)] }) {
		return false
	}
	// "UUID v7 primary keys": the version qualifies a part of the schema.
	return !schemaWords.MatchString(text)
}

// functionWord is a word that joins a phrase rather than naming a thing.
var functionWord = map[string]bool{"with": true, "per": true, "by": true, "to": true, "at": true, "in": true, "of": true,
	"for": true, "under": true, "over": true, "than": true, "up": true, "every": true, "each": true, "all": true, "a": true, "the": true}

// commandAsExample reports whether an item's command sits only in a
// parenthesis after a rule that asks for one thing per another ("ALWAYS add
// an Alembic migration for each schema change (`alembic revision
// --autogenerate`)"): the command shows how, the rule is what must hold.
func commandAsExample(text string) bool {
	rest := parenthetical.ReplaceAllString(text, "")
	return rest != text && !cliCommand.MatchString(rest) && perChange.MatchString(rest)
}

// changeLog is a heading over the changes made to the code ("Change
// Reasons", "Changelog", "Release Notes", "What's New").
var changeLog = lazyre.New(`(?i)(^|> )(change ?logs?|changes? (reasons?|notes|history)|recent changes|release notes|what'?s new)\b`)

// changeNote is an entry of a change log, told in the past tense ("Added a
// flow that removes ...", "Fixed the retry of ..."): what was done, where
// the present-tense entries beside it ("Pending invitations count toward
// the seat cap") state what holds.
var changeNote = lazyre.New(`(?i)^(added|removed|fixed|updated|changed|renamed|introduced|dropped|replaced|deprecated|refactored|migrated|moved)\s`)

// perChange asks for one thing for each of another: for each schema
// change, for every new endpoint, per model, whenever you change a handler.
var perChange = lazyre.New(`(?i)\b(for|with|on) (each|every|any)\b|\bper [a-z]|\b(whenever|every time|each time) (you |a |an |the )?\w+`)

// runsCommand reports whether a sentence says to run a command line ("Run
// the checks with: uv run mypy .", "Always add dependencies with uv add").
func runsCommand(s string) bool {
	return commandLead.MatchString(s) && cliCommand.MatchString(s)
}

// envLine reports whether an item is an environment variable's name and
// its values or use ("APP_ENV: development, testing, production",
// "SECRET_KEY: for signing and sessions"), not a rule.
func envLine(text string) bool {
	name, rest, ok := strings.Cut(text, ": ")
	return ok && (envName.MatchString(name) && len(strings.Fields(rest)) <= 8 && !statement.MatchString(rest) || envValues(name, rest))
}

// envValues reports whether a "Label: a, b, c" line lists deployment
// environments and nothing else ("Profiles: local, dev, prod"): which
// environments exist, not what must hold in them.
func envValues(name, rest string) bool {
	values := strings.Split(strings.TrimSuffix(rest, "."), ",")
	if len(strings.Fields(name)) > 2 || len(values) < 2 {
		return false
	}
	for _, v := range values {
		if !envValue.MatchString(strings.TrimSpace(v)) {
			return false
		}
	}
	return true
}

// runLabelCommand reports whether an item is a label naming a step of
// building or testing and the command line for it ("One test: `./gradlew
// test --tests X`", "Full build: `./gradlew clean build` compiles and runs
// the tests"). A label of a standard over its tool ("Formatting: `ruff
// format` (line length 88)") is not one.
func runLabelCommand(text string) bool {
	label, rest, ok := strings.Cut(text, ": ")
	return ok && runLabel.MatchString(label) && startsWithCommand(rest)
}

// startsWithCommand reports whether an item is a command line as written
// ("go vet ./...", "./gradlew test"), not a sentence that names one.
func startsWithCommand(text string) bool {
	text = strings.TrimPrefix(text, "./")
	loc := cliCommand.FindStringIndex(text)
	return loc != nil && loc[0] == 0
}

// boldSpeaker reports whether an item opens with "**User:**" or the like in
// bold: a field of a list ("**User:** The app runs as a non-root user"),
// where an example's turns are written plainly ("User: hi").
func boldSpeaker(raw string) bool {
	m := boldLeadRe.FindStringSubmatch(raw)
	return m != nil && (m[1] != "" || m[3] != "")
}

// allHedged reports whether an item of up to ten words is two or more
// phrases that each say "proper" or the like ("Handle migrations properly
// with proper data migration scripts"): a phrase without one ("with typed
// exceptions", "separated by environment", "and sanitization") is a
// criterion.
func allHedged(body string) bool {
	parts := phraseBreak.RE().Split(strings.TrimSuffix(body, "."), -1)
	if len(parts) < 2 || len(strings.Fields(body)) > 10 || strings.ContainsAny(body, "0123456789`(") {
		return false
	}
	for _, part := range parts {
		if !hedged.MatchString(part) {
			return false
		}
	}
	return true
}

// titleCase reports whether a phrase of two to eight words is written as a
// name, every word but the small ones capitalised ("Broken Access
// Control", "Server-Side Request Forgery (SSRF)").
func titleCase(text string) bool {
	words := strings.Fields(strings.Trim(text, "."))
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	for _, w := range words {
		w = strings.Trim(w, "()[],;:")
		switch strings.ToLower(w) {
		case "", "and", "or", "of", "the", "to", "in", "for", "a", "an", "on", "with":
			continue
		}
		if r := []rune(w); !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return true
}

// near is the last part of a section path: the nearest heading or label.
func near(section string) string {
	if i := strings.LastIndex(section, " > "); i >= 0 {
		section = section[i+3:]
	}
	// "🚫 Anti-Patterns": the marks before the first word decorate it.
	return strings.TrimLeftFunc(section, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// bareTopic reports whether an item only names a topic ("Event loops",
// "SQL injection prevention"): a few words that say nothing to do.
// fileRole reports whether an item names a source file and says what it
// holds, with no rule about it ("main.rs: startup, CLI parsing").
func fileRole(text string) bool {
	m := fileRoleRe.FindStringSubmatch(text)
	return m != nil && !ruleWords.MatchString(m[2]) && !mustSentence.MatchString(m[2]) && !imperative.MatchString(m[2]) && !negativeRe.MatchString(m[2])
}

// mechanismEntry reports whether a short menu entry names a mechanism,
// technique or artifact to have (mechanismNoun) rather than an area
// (areaHead). The entry's own last word decides between them: "Connection
// pooling setup" and "Circuit breaker patterns" are built on their
// mechanism, "Automated backup strategies" on its area. A clause after a
// comma or a parenthesis is left out of the head.
//
// Two exceptions (round 54). "Management" of a thing that is itself a
// mechanism is the upkeep of that mechanism ("Connection pool management",
// "Migration Management"), where "Secret management" stays an area. And an
// area in a bold lead over the mechanisms it is made of ("**Backup
// Strategies**: pg_dump, pg_basebackup, WAL archiving") names them, where
// "**Indexing**: partial indexes, expression indexes" lists kinds.
func mechanismEntry(text string) bool {
	head, rest := strings.TrimSpace(text), ""
	if i := strings.IndexAny(head, "(,;:"); i > 0 {
		head, rest = strings.TrimSpace(head[:i]), head[i:]
	}
	head = strings.TrimRight(head, ".!")
	if n := len(strings.Fields(head)); n == 0 || n > 6 {
		return false
	}
	if areaHead.MatchString(head) && !namedControl.MatchString(head) {
		if m := managedThing.FindStringSubmatch(head); m != nil {
			return mechanismNoun.MatchString(m[1])
		}
		return strings.HasPrefix(rest, ":") && mechanismNoun.MatchString(rest)
	}
	return mechanismNoun.MatchString(head)
}

// managedThing is the thing an entry "X management" looks after.
var managedThing = lazyre.New(`(?i)^(.+?) management$`)

// endsOnNoun reports whether a phrase ends on a noun ("Interceptor
// implementation", "Metadata propagation"): under an "X excellence:"
// label such an entry is one more topic of a menu, where "Rate limiting
// active" or "Indexes proper" is a state to reach.
func endsOnNoun(text string) bool {
	words := strings.Fields(strings.TrimRight(text, ".!"))
	return len(words) > 0 && nounEnd.MatchString(words[len(words)-1])
}

func bareTopic(text string) bool {
	words := strings.Fields(text)
	// "Response times <200ms" states a bound; "Skip Pydantic validation"
	// under a "Don't" heading is a neglect it forbids.
	if len(words) == 0 || len(words) > 3 || strings.ContainsAny(text, "0123456789<>") || verbish.MatchString(text) || imperative.MatchString(text) || neglectVerb.MatchString(text) ||
		stateEnd.MatchString(text) || qualityLead.MatchString(text) || defectName.MatchString(text) {
		return false
	}
	if len(words) == 1 && strings.HasSuffix(strings.ToLower(strings.TrimRight(text, ".")), "ly") {
		return true // "Safely", "Predictably": how, not what
	}
	return slices.ContainsFunc(words, nounEnd.MatchString)
}

// splitLead separates a bold lead ("**Security First**: ...") from the rest;
// without one, the title is the first sentence.
func splitLead(s string) (title, body string) {
	if m := boldLeadRe.FindStringSubmatch(s); m != nil {
		title, body = clean(m[1]), clean(m[2])
		if m[3] != "" {
			title, body = clean(m[3]), clean(m[4])
		}
		if strings.HasSuffix(title, ":") && body != "" {
			title = strings.TrimSuffix(title, ":")
		}
		return title, body
	}
	c := clean(s)
	return firstSentence(c), c
}

func firstSentence(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == ';') && s[i+1] == ' ' && i > 10 {
			return s[:i]
		}
	}
	return strings.TrimSuffix(s, ".")
}

// ruleOverCode reports whether one sentence ending in a colon over an
// example in code is itself a rule, which the code shows, rather than the
// example's label: an imperative whose object is every member of a part of
// the code ("Wrap every database operation in try-catch:", "Give each
// service its own Logger named after the class:") or a statement of what a
// layer does ("Services hold the business logic and talk to
// repositories:"). "Run all the migrations:", "Add this to every module:"
// and "Services look like this:" stay labels.
func ruleOverCode(label string) bool {
	if strings.Contains(label, ". ") || openLabelEnd.MatchString(label) {
		return false
	}
	if m := quantifiedImperative.FindStringSubmatch(label); m != nil {
		return !notRuleVerb.MatchString(m[1])
	}
	return layerStatement.MatchString(label)
}

var (
	quantifiedImperative = lazyre.New(`(?i)^([a-z]+) (?:[\w-]+ (?:[\w-]+ )?(?:for|in|on|to|across) )?(every|each|all) [\w-]+\b.{6,}$`)
	// notRuleVerb opens a command to run or a step of the reader's own
	// work, not a rule of the code.
	notRuleVerb    = lazyre.New(`(?i)^(run|install|execute|see|try|copy|paste|open|type|start|read|review|download|clone|check|list|show|print|do|repeat|follow|consider|look|add|apply)$`)
	layerStatement = lazyre.New(`(?i)^(services|controllers|handlers|repositories|routers|resolvers|views|serializers|entities|middlewares?|dtos|workers) (\w+ )?(hold|contain|own|keep|call|talk|return|throw|raise|validate|map|use|never|only|must|should|delegate|depend|live|stay|receive|take|handle|wrap|log|do|have)\b.{6,}$`)
)

// rulesBeforeLabel is the prose before the last sentence of a paragraph
// that ends in a colon, when that prose states a rule ("Never throw a plain
// `new Error()`." before "Throw an `AppError`:"), else "".
func rulesBeforeLabel(text string) string {
	parts := sentences(text)
	if !strings.HasSuffix(text, ":") || len(parts) < 2 || !strings.HasSuffix(text, parts[len(parts)-1]) {
		return ""
	}
	prose := strings.TrimSpace(strings.TrimSuffix(text, parts[len(parts)-1]))
	if prose == "" || strings.HasSuffix(prose, ":") || !ruleWords.MatchString(prose) {
		return ""
	}
	return prose
}

// sentences splits prose at full stops (not semicolons, which join the
// halves of one rule).
func sentences(s string) []string {
	var out []string
	if strings.Contains(s, "•") {
		// "Context • Sign-in is ... • Agents never ...": bullets written
		// inline in one paragraph are sentences of their own.
		for _, part := range strings.Split(s, "•") {
			out = append(out, sentences(strings.TrimSpace(part))...)
		}
		return slices.DeleteFunc(out, func(x string) bool { return x == "" })
	}
	start := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && i-start > 10 {
			out = append(out, strings.TrimSpace(s[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// clean removes inline Markdown: links keep their text, emphasis and code
// marks go, whitespace collapses.
func clean(s string) string {
	s = linkRe.ReplaceAllString(s, "$1")
	for prev := ""; prev != s; {
		prev = s
		s = emphRe.ReplaceAllString(s, "$2")
	}
	s = strings.ReplaceAll(s, "`", "")
	s = inlineTag.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

func excerpt(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}
