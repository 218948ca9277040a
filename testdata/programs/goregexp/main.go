// Command goregexp prints what Go's regexp package makes of the regular
// expressions pprof's options take (-focus, -ignore, -hide, -show,
// -show_from, -tagfocus, -tagignore, -peek), so footprint's RE2 engine can be
// checked against Go itself: for each pattern, the error regexp.Compile
// gives, or for each input whether it matches and the leftmost-first match
// (FindStringIndex). One JSON document on stdout.
package main

import (
	"encoding/json"
	"os"
	"regexp"
)

type testCase struct {
	construct string
	pattern   string
	inputs    []string
}

type result struct {
	Input string `json:"input"`
	Match bool   `json:"match"`
	// The leftmost-first match, or null when there is none.
	Found *string `json:"found"`
}

type output struct {
	Construct string   `json:"construct"`
	Pattern   string   `json:"pattern"`
	Error     *string  `json:"error"`
	Results   []result `json:"results"`
}

var names = []string{"main.f", "main.foo", "main.(*T).Get", "runtime.mallocgc", "encoding/json.Marshal", "net/http.(*conn).serve", "Main.F"}

var cases = []testCase{
	{"named group (?P<name>)", `(?P<x>main\.f)`, names},
	{"named group (?<name>)", `(?<x>main\.f)`, names},
	{"named group: duplicate name", `(?P<x>a)(?P<x>b)`, []string{"ab", "a"}},
	{"named group: duplicates behind escapes, quotes and classes", `\Q(?P<x>\E(?P<x>a)[(?P<x>]\(?P<x>(?<x>b)(?P<x_2>c)`, []string{"(?P<x>a((P<x>bc", "(?P<x>a?P<x>bc", "(?P<x>a(bc"}},
	{"named group: empty name", `(?P<>a)`, nil},
	{"named group: bad name", `(?P<x y>a)`, nil},
	{"named back-reference", `(?P=x)`, nil},
	{"non-capturing group", `(?:main|runtime)\.`, names},
	{"POSIX class [[:upper:]]", `[[:upper:]]`, []string{"main.f", "Main.F", "main.(*T).Get", "é", "É"}},
	{"POSIX class negated [[:^upper:]]", `^[[:^upper:]]+$`, []string{"main", "Main", "main.(*T).Get"}},
	{"POSIX classes alpha digit space", `^[[:alpha:]]+[[:digit:]][[:space:]]$`, []string{"abc1 ", "abc1\t", "ab12 ", "é1 "}},
	{"POSIX classes punct word xdigit", `[[:punct:]][[:word:]][[:xdigit:]]`, []string{".fA", "._9", ".fG", "a_f"}},
	{"POSIX class unknown", `[[:foo:]]`, nil},
	{"POSIX class outside brackets", `[:upper:]`, []string{"u", "U", ":"}},
	{"POSIX class under (?i)", `(?i)^[[:upper:]]+$`, []string{"main", "MAIN", "main1"}},
	{"Perl classes \\d \\w \\s", `^\w+\s\d\D$`, []string{"ab 1x", "é 1x", "ab 11"}},
	{"Unicode class \\pL", `^\pL+$`, []string{"main", "αβγ", "日本", "main1", "é"}},
	{"Unicode class \\PL", `\PL`, []string{"main", "main1", "αβ"}},
	{"Unicode class \\p{Greek}", `\p{Greek}`, []string{"main", "αβ", "main.α"}},
	{"Unicode class \\p{^Greek}", `^\p{^Greek}+$`, []string{"main", "αβ", "mαin"}},
	{"Unicode class \\p{Lu}", `^\p{Lu}`, []string{"Main", "main", "Ωmega"}},
	{"Unicode class \\pN", `\pN`, []string{"f1", "f", "f٣"}},
	{"Unicode class \\p{Han}", `\p{Han}`, []string{"日本", "nihon"}},
	{"Unicode class unknown", `\p{Foo}`, nil},
	{"Unicode class in brackets", `^[\p{Greek}\d]+$`, []string{"α1", "a1"}},
	{"flag (?i)", `(?i)MAIN\.F`, names},
	{"flag (?i) folds Kelvin sign", `(?i)k`, []string{"k", "K", "\u212a"}},
	{"flag (?i) folds sigma", `(?i)σ`, []string{"Σ", "ς", "σ", "s"}},
	{"flag (?i:group)", `(?i:main)\.F`, []string{"MAIN.F", "main.F", "main.f"}},
	{"flag (?-i) clears", `(?i)main(?-i)\.F`, []string{"MAIN.F", "MAIN.f"}},
	{"flag (?s)", `(?s)a.b`, []string{"a\nb", "axb"}},
	{"no (?s): dot stops at newline", `a.b`, []string{"a\nb", "axb"}},
	{"flag (?m)", `(?m)^b$`, []string{"a\nb\nc", "ab"}},
	{"no (?m): ^ and $ at the ends", `^b$`, []string{"a\nb\nc", "b"}},
	{"flag (?U) ungreedy", `(?U)a+`, []string{"aaa"}},
	{"flag (?U) swaps ? suffix", `(?U)a+?`, []string{"aaa"}},
	{"greedy default", `a+`, []string{"aaa"}},
	{"non-greedy", `a+?`, []string{"aaa"}},
	{"flags combined (?is)", `(?is)MAIN.F`, []string{"main\nf", "main.f"}},
	{"flags (?imsU) all", `(?imsU)^a.+$`, []string{"x\nA\nbb"}},
	{"flag unknown", `(?x)a`, nil},
	{"flag in the middle", `main(?i)\.F`, []string{"main.f", "MAIN.f"}},
	{"flag group empty", `(?)a`, []string{"a", "b"}},
	{"quoted \\Q..\\E", `\Qmain.(*T)\E`, names},
	{"quoted \\Q..\\E: dot is literal", `\Qa.b\E`, []string{"a.b", "axb"}},
	{"quoted \\Q without \\E", `x\Q.*`, []string{"x.*", "xyz"}},
	{"quoted \\Q\\E empty", `a\Q\Eb`, []string{"ab"}},
	{"\\z end of text", `f\z`, []string{"main.f", "main.f\n", "main.foo"}},
	{"\\A start of text", `\Amain`, []string{"main.f", "xmain", "x\nmain"}},
	{"\\A under (?m)", `(?m)\Amain`, []string{"x\nmain"}},
	{"$ under (?m)", `(?m)f$`, []string{"f\nx", "fx"}},
	{"\\Z is not Go", `f\Z`, nil},
	{"repetition {n}", `^a{3}$`, []string{"aa", "aaa", "aaaa"}},
	{"repetition {n,}", `^a{2,}$`, []string{"a", "aa", "aaaaa"}},
	{"repetition {n,m}", `^a{2,3}$`, []string{"a", "aa", "aaa", "aaaa"}},
	{"repetition {n,m} non-greedy", `a{2,3}?`, []string{"aaaa"}},
	{"repetition {1000}", `^a{1000}$`, []string{"a"}},
	{"repetition {1001}: over the limit", `a{1001}`, nil},
	{"repetition {2,1001}: over the limit", `a{2,1001}`, nil},
	{"repetition {0}", `^ba{0}c$`, []string{"bc", "bac"}},
	{"repetition {,3} is literal", `a{,3}`, []string{"a{,3}", "aaa"}},
	{"repetition {3,2}: min above max", `a{3,2}`, nil},
	{"repetition nested within limits", `(a{10}){10}`, []string{"a"}},
	{"repetition nested over the limit", `((a{100}){100}){100}`, nil},
	{"nested repetition operator", `a**`, nil},
	{"possessive is not Go", `a++`, nil},
	{"missing argument to repetition", `*a`, nil},
	{"lookahead is not Go", `main(?=\.f)`, nil},
	{"negative lookahead is not Go", `main(?!\.f)`, nil},
	{"lookbehind is not Go", `(?<=main)\.f`, nil},
	{"back-reference is not Go", `(a)\1`, nil},
	{"octal escape", `\101`, []string{"A", "a"}},
	{"hex escapes", `\x41\x{263a}`, []string{"A☺", "A"}},
	{"\\x{} out of range", `\x{110000}`, nil},
	{"control escapes", `\t\n\f\r\v\a`, []string{"\t\n\f\r\v\a"}},
	{"\\e is not Go", `\e`, nil},
	{"\\C is not Go", `\C`, nil},
	{"\\8 is not Go", `\8`, nil},
	{"word boundary \\b", `\bf\b`, []string{"main.f", "main.foo"}},
	{"not word boundary \\B", `a\B`, []string{"ab", "a."}},
	{"class with ] first", `[]a]`, []string{"]", "a", "b"}},
	{"class with - last", `^[a-]+$`, []string{"a-a", "b"}},
	{"class range with \\d", `[a-\d]`, nil},
	{"class negated", `^[^.]+$`, []string{"main", "main.f"}},
	{"class empty", `[]`, nil},
	{"class unclosed", `[a`, nil},
	{"class reversed range", `[z-a]`, nil},
	{"group unclosed", `(main`, nil},
	{"group unopened", `main)`, nil},
	{"trailing backslash", `main\`, nil},
	{"empty pattern", ``, []string{"", "main.f"}},
	{"empty alternative", `|main`, []string{"x"}},
	{"alternation", `main\.f|runtime\.`, names},
	{"dot is one rune", `^.$`, []string{"é", "😀", "ab"}},
	{"astral rune in class", `^[😀-😂]$`, []string{"😁", "😃"}},
	{"astral rune literal", `\x{1F600}`, []string{"😀", "x"}},
	{"dot matches \\r", `a.b`, []string{"a\rb"}},
	{"pprof: method on pointer receiver", `main\.\(\*T\)\.Get`, names},
	{"pprof: package path", `^encoding/json\.`, names},
	{"pprof: hide runtime", `^runtime\.`, names},
	{"pprof: tag value", `^worker-[0-9]+$`, []string{"worker-1", "worker-x", "key:worker-1"}},
	{"pprof: escaped meta", `\.\*\+\?\(\)\[\]\{\}\|\^\$\\`, []string{".*+?()[]{}|^$\\"}},
	{"escaped punctuation", `\!\@\#\%\&\-\=\:\;\"\'\<\>\,\/\~\_\` + "`", []string{"!@#%&-=:;\"'<>,/~_`"}},
	{"escaped letter is not Go", `\y`, nil},
}

func main() {
	out := make([]output, 0, len(cases))
	for _, c := range cases {
		o := output{Construct: c.construct, Pattern: c.pattern, Results: []result{}}
		re, err := regexp.Compile(c.pattern)
		if err != nil {
			msg := err.Error()
			o.Error = &msg
		} else {
			for _, in := range c.inputs {
				r := result{Input: in, Match: re.MatchString(in)}
				if loc := re.FindStringIndex(in); loc != nil {
					found := in[loc[0]:loc[1]]
					r.Found = &found
				}
				o.Results = append(o.Results, r)
			}
		}
		out = append(out, o)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
