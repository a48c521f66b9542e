// Command scaffold generates production-ready backend services.
package main

import (
	"os"

	"github.com/scaffoldtool/scaffold/cmd"
)

func main() {
	os.Exit(cmd.Execute(cmd.NewFactory(), os.Args[1:]))
}
