//go:build race

package review

// raceDetector is true when the tests run under -race: the slow tests that
// exercise no concurrency beyond what others do skip themselves there.
const raceDetector = true
