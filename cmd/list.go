package cmd

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// listOption is one option as `scaffold list --json` reports it.
type listOption struct {
	Key     string          `json:"key"`
	Flag    string          `json:"flag"`
	Kind    string          `json:"kind"`
	Help    string          `json:"help"`
	Default string          `json:"default,omitempty"`
	Values  []options.Value `json:"values,omitempty"`
}

type listing struct {
	Version          string              `json:"version"`
	DefaultFramework string              `json:"default_framework"`
	Frameworks       []options.Framework `json:"frameworks"`
	Options          []listOption        `json:"options"`
	Rules            []string            `json:"rules"`
}

// combinationRules are the cross-option rules options.Validate enforces,
// in words, for `scaffold list`.
var combinationRules = []string{
	"database, auth and integrations must be among the values the chosen framework offers",
	"rbac=true needs users: it cannot be combined with auth=none (rbac defaults to false then)",
}

func newCmdList(f *Factory) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List frameworks, options, defaults and valid combinations",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			packs, err := f.Packs()
			if err != nil {
				return err
			}
			cat := templates.Catalog(packs)
			l := listing{Version: Version, DefaultFramework: cat.DefaultFramework(), Frameworks: cat, Rules: combinationRules}
			for _, o := range options.All {
				lo := listOption{Key: o.Key, Flag: "--" + o.Key, Help: o.Help, Default: cat.DefaultFor(o, options.Answers{Framework: cat.DefaultFramework()}), Values: o.Values}
				lo.Kind = [...]string{"text", "choice", "bool", "list"}[o.Kind]
				if o == &options.NameOption {
					lo.Flag = "NAME (argument)"
				}
				if o.Kind == options.Bool {
					lo.Flag = fmt.Sprintf("--%s / --no-%s", o.Key, o.Key)
				}
				l.Options = append(l.Options, lo)
			}
			if asJSON {
				enc := json.NewEncoder(f.IO.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(l)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "Frameworks (default %s):\n", l.DefaultFramework)
			for _, fw := range cat {
				fmt.Fprintf(out, "  %-10s %s\n", fw.Name, fw.Summary)
				fmt.Fprintf(out, "  %-10s database: %s\n", "", strings.Join(fw.Databases, ", "))
				fmt.Fprintf(out, "  %-10s auth: %s\n", "", strings.Join(fw.Auths, ", "))
				fmt.Fprintf(out, "  %-10s integrations: %s\n", "", orNone(fw.Integrations))
			}
			fmt.Fprintln(out, "\nOptions:")
			for _, lo := range l.Options {
				def := ""
				if lo.Default != "" {
					def = " [default: " + lo.Default + "]"
				}
				fmt.Fprintf(out, "  %-28s %s%s\n", lo.Flag, lo.Help, def)
				for _, v := range lo.Values {
					fmt.Fprintf(out, "  %-28s   %-9s %s\n", "", v.Name, v.Help)
				}
			}
			fmt.Fprintln(out, "\nCombinations:")
			for _, r := range l.Rules {
				fmt.Fprintf(out, "  - %s\n", r)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none yet"
	}
	return strings.Join(s, ", ")
}
