package review

import (
	"fmt"
	"strings"

	"github.com/scaffoldtool/scaffold/checklists"
)

// SARIF 2.1.0, the subset GitHub code scanning reads: rules with ids, help
// and a security severity; results with a physical location and a stable
// partial fingerprint.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails map[string]string `json:"automationDetails"`
	Results           []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	Properties           map[string]any    `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation map[string]string `json:"artifactLocation"`
	Region           map[string]int    `json:"region"`
}

func sarifLevel(s Severity) string {
	switch {
	case s >= checklists.High:
		return "error"
	case s == checklists.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps severities onto GitHub's CVSS-like scale, which it
// uses to label alerts critical (9+), high (7+), medium (4+) or low.
func securitySeverity(s Severity) string {
	return [...]string{"1.0", "3.0", "5.5", "8.0", "9.5"}[s]
}

func (r *Report) sarif(version string) sarifLog {
	driver := sarifDriver{Name: "scaffold review", Version: version,
		InformationURI: "https://github.com/scaffoldtool/scaffold"}
	index := map[string]int{}
	for i, c := range Checks {
		index[c.ID] = i
		rule, _ := checklists.Lookup(c.Rule)
		help := fmt.Sprintf("%s\n\nWhy: %s\n\nFix: %s", c.Title, rule.Why, c.Help)
		helpMD := fmt.Sprintf("**%s** (checklist rule %s)\n\n%s\n\n**Fix:** %s", c.Title, c.Rule, rule.Why, c.Help)
		if refs := rule.References(); refs != "" {
			help += "\n\nReferences: " + refs
			helpMD += "\n\nReferences: " + refs
		}
		tags := []string{"security", rule.Area}
		for _, cwe := range rule.CWE {
			tags = append(tags, fmt.Sprintf("external/cwe/cwe-%d", cwe))
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: c.ID, Name: ruleName(c.ID),
			ShortDescription:     sarifText{Text: c.Title},
			FullDescription:      sarifText{Text: rule.Title + ". " + rule.Why},
			Help:                 sarifText{Text: help, Markdown: helpMD},
			DefaultConfiguration: map[string]string{"level": sarifLevel(c.Severity)},
			Properties: map[string]any{"tags": tags, "precision": "medium",
				"security-severity": securitySeverity(c.Severity), "checklist-rule": c.Rule},
		})
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		uri, line := f.Path, f.Line
		if uri == "" {
			uri = ".scaffold.yaml"
		}
		if line < 1 {
			line = 1
		}
		results = append(results, sarifResult{
			RuleID: f.Check, RuleIndex: index[f.Check], Level: sarifLevel(f.Severity),
			Message: sarifText{Text: f.Message + ". " + f.Fix},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: map[string]string{"uri": uri, "uriBaseId": "%SRCROOT%"},
				Region:           map[string]int{"startLine": line},
			}}},
			PartialFingerprints: map[string]string{"scaffoldFinding/v1": f.Fingerprint},
			Properties:          map[string]any{"severity": f.Severity.String(), "checklist-rule": f.Rule},
		})
	}
	return sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver},
			AutomationDetails: map[string]string{"id": "scaffold-review/"}, Results: results}},
	}
}

// ruleName turns a check id into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
