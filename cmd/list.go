package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffoldtool/scaffold/options"
	"github.com/scaffoldtool/scaffold/templates"
)

// listOption is one option as `scaffold list --json` reports it.
type listOption struct {
	Key     string                 `json:"key"`
	Flag    string                 `json:"flag"`
	Kind    string                 `json:"kind"`
	Help    string                 `json:"help"`
	Default string                 `json:"default,omitempty"`
	Values  []options.OfferedValue `json:"values,omitempty"`
}

type listing struct {
	Version          string              `json:"version"`
	DefaultFramework string              `json:"default_framework"`
	Frameworks       []options.Framework `json:"frameworks"`
	Options          []listOption        `json:"options"`
	Rules            []string            `json:"rules"`
}

// combinationRules are the cross-option rules in words, for `scaffold
// list`: the fixed one, then what each pack's features require and exclude.
func combinationRules(cat options.Catalog) []string {
	rules := []string{"database, auth and integrations must be among the values the chosen framework offers"}
	for _, fw := range cat {
		for _, o := range options.All {
			offer, ok := fw.Offers[o.Key]
			if !ok {
				continue
			}
			var items []ruled
			if o.Kind == options.Bool {
				items = append(items, ruled{o.Key + "=true", offer.Traits})
			}
			for _, v := range offer.Values {
				items = append(items, ruled{o.Key + "=" + v.Name, v.Traits})
			}
			for _, it := range items {
				for _, r := range it.traits.Requires {
					rules = append(rules, fmt.Sprintf("%s: %s needs %s (provided by %s)", fw.Name, it.name, r, providersOf(fw, r)))
				}
				for _, x := range it.traits.Conflicts {
					rules = append(rules, fmt.Sprintf("%s: %s cannot be combined with what provides %s (%s)", fw.Name, it.name, x, providersOf(fw, x)))
				}
			}
		}
	}
	return rules
}

// ruled is one answer with what it requires and excludes.
type ruled struct {
	name   string
	traits options.Traits
}

func providersOf(fw options.Framework, capability string) string {
	var out []string
	for _, o := range options.All {
		for _, v := range fw.Offers[o.Key].Values {
			if slices.Contains(v.Traits.Provides, capability) {
				out = append(out, o.Key+"="+v.Name)
			}
		}
	}
	if len(out) == 0 {
		return "nothing in this pack"
	}
	return strings.Join(out, ", ")
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
			l := listing{Version: Version, DefaultFramework: cat.DefaultFramework(), Frameworks: cat, Rules: combinationRules(cat)}
			// Each default can depend on the earlier answers: take them in order.
			defaults := options.NewPartial()
			for _, o := range options.All {
				def := cat.DefaultFor(o, defaults.Answers)
				if o != &options.NameOption {
					_ = defaults.Set(o.Key, def)
				}
				lo := listOption{Key: o.Key, Flag: "--" + o.Key, Help: o.Help, Default: def, Values: cat.Values(o)}
				if o == &options.FrameworkOption {
					for _, fw := range cat {
						lo.Values = append(lo.Values, options.OfferedValue{Name: fw.Name, Help: fw.Summary})
					}
				}
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
				for _, o := range options.All {
					if o.Kind == options.Choice && o != &options.FrameworkOption || o.Kind == options.Multi {
						fmt.Fprintf(out, "  %-10s %s: %s\n", "", o.Key, orNone(cat.Allowed(o, fw.Name)))
					}
				}
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
