// Command importfloor links everything scaffold links and only prints
// hello: BenchmarkVersionVsHello's measure of what the dependencies alone
// cost a process start (their package initialisation, a larger binary,
// dynamic linking for cgo).
package main

import (
	"fmt"

	_ "github.com/scaffoldtool/scaffold/cmd"
)

func main() { fmt.Println("hello") }
