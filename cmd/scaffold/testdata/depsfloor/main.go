// Command depsfloor links only the libraries the design prescribes (cobra,
// survey, sprig, go-git) and the tree-sitter binding review parses Python
// with, and prints hello: the start-up floor no scaffold change can go below
// while it keeps them. BenchmarkVersionVsHello reports scaffold version
// against it as version/deps.
package main

import (
	"fmt"

	_ "github.com/AlecAivazis/survey/v2"
	_ "github.com/Masterminds/sprig/v3"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/spf13/cobra"
	_ "github.com/tree-sitter/go-tree-sitter"
)

func main() { fmt.Println("hello") }
