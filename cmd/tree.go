package cmd

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/scaffoldtool/scaffold/generator"
)

// node is a directory in the printed tree.
type node struct {
	dirs  map[string]*node
	files []string
	count int // files below, at any depth
}

func buildTree(files []generator.File) *node {
	root := &node{dirs: map[string]*node{}}
	for _, f := range files {
		n := root
		n.count++
		parts := strings.Split(f.Path, "/")
		for _, d := range parts[:len(parts)-1] {
			child, ok := n.dirs[d]
			if !ok {
				child = &node{dirs: map[string]*node{}}
				n.dirs[d] = child
			}
			n = child
			n.count++
		}
		n.files = append(n.files, parts[len(parts)-1])
	}
	return root
}

// printTree prints the files as a tree under name. With maxDepth > 0,
// directories deeper than maxDepth are folded into one line with a count.
func printTree(w io.Writer, name string, files []generator.File, maxDepth int) {
	fmt.Fprintf(w, "%s/\n", name)
	printNode(w, buildTree(files), "", 1, maxDepth)
}

func printNode(w io.Writer, n *node, indent string, depth, maxDepth int) {
	type entry struct {
		name string
		dir  *node
	}
	var entries []entry
	for d, child := range n.dirs {
		entries = append(entries, entry{d, child})
	}
	for _, f := range n.files {
		entries = append(entries, entry{f, nil})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for i, e := range entries {
		branch, next := "├── ", "│   "
		if i == len(entries)-1 {
			branch, next = "└── ", "    "
		}
		switch {
		case e.dir == nil:
			fmt.Fprintf(w, "%s%s%s\n", indent, branch, e.name)
		case maxDepth > 0 && depth >= maxDepth:
			fmt.Fprintf(w, "%s%s%s/ (%s)\n", indent, branch, e.name, plural(e.dir.count, "file"))
		default:
			fmt.Fprintf(w, "%s%s%s/\n", indent, branch, e.name)
			printNode(w, e.dir, indent+next, depth+1, maxDepth)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
