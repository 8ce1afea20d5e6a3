package transcriptfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sparrow-coach/sparrow/domain"
)

// Format names a transcript file format.
type Format string

const (
	FormatAuto  Format = ""     // tell by the content
	FormatPlain Format = "text" // "Speaker: text" lines
	FormatVTT   Format = "vtt"  // WebVTT
	FormatSRT   Format = "srt"  // SubRip
	FormatJSON  Format = "json" // the API's transcript JSON
)

// Formats lists the formats a caller may name.
var Formats = []Format{FormatPlain, FormatVTT, FormatSRT, FormatJSON}

// Limits of one file.
const (
	MaxBytes       = 2 << 20 // 2 MiB
	MaxLines       = 50_000  // lines of the file
	MaxSpeakerName = 100     // characters
)

// Line is one turn read from a file: who spoke, what they said, and when, if the file says.
type Line struct {
	Speaker string
	Text    string
	// StartMs is the turn's start from the beginning of the call; meaningful only when Timed.
	StartMs int64
	Timed   bool
	// SourceLine is the 1-based line of the file the turn starts on.
	SourceLine int
}

// ParseError is a problem with a file, naming the line it is on (0: the file as a whole).
type ParseError struct {
	Line  int
	Issue string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return "transcript file: " + e.Issue
	}
	return fmt.Sprintf("transcript file: line %d: %s", e.Line, e.Issue)
}

// Unwrap makes every ParseError a domain.ErrInvalid.
func (e *ParseError) Unwrap() error { return domain.ErrInvalid }

func parseErr(line int, format string, args ...any) error {
	return &ParseError{Line: line, Issue: fmt.Sprintf(format, args...)}
}

// ErrUnknownFormat: the caller named a format that is not one of Formats.
var ErrUnknownFormat = errors.New("unknown transcript format")

// Parse reads data in format f (FormatAuto: decide from the content) and returns its turns in order. It
// refuses an empty file, a file over MaxBytes or MaxLines, invalid UTF-8, NUL characters, and files with no
// turn at all.
func Parse(data []byte, f Format) ([]Line, Format, error) {
	if len(data) == 0 || len(bytes.TrimSpace(data)) == 0 {
		return nil, f, parseErr(0, "the file is empty")
	}
	if len(data) > MaxBytes {
		return nil, f, parseErr(0, "the file has %d bytes, the limit is %d", len(data), MaxBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if !utf8.Valid(data) {
		return nil, f, parseErr(lineOfInvalidUTF8(data), "the text is not valid UTF-8")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, f, parseErr(1+bytes.Count(data[:i], []byte("\n")), "the text contains a NUL character")
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) > MaxLines {
		return nil, f, parseErr(0, "the file has %d lines, the limit is %d", len(lines), MaxLines)
	}
	if f == FormatAuto {
		f = detect(text)
	}
	var (
		out []Line
		err error
	)
	switch f {
	case FormatPlain:
		out, err = parsePlain(lines)
	case FormatVTT:
		out, err = parseCues(lines, true)
	case FormatSRT:
		out, err = parseCues(lines, false)
	case FormatJSON:
		out, err = parseJSON(data)
	default:
		return nil, f, fmt.Errorf("%w: %q (one of text, vtt, srt, json)", ErrUnknownFormat, string(f))
	}
	if err != nil {
		return nil, f, err
	}
	if len(out) == 0 {
		return nil, f, parseErr(0, "no turn found: expected %s", expected(f))
	}
	return out, f, nil
}

// detect tells the format of a file by its first non-blank line.
func detect(text string) Format {
	first := strings.TrimSpace(text)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = strings.TrimSpace(first[:i])
	}
	switch {
	case strings.HasPrefix(first, "WEBVTT"):
		return FormatVTT
	case strings.HasPrefix(first, "{"), strings.HasPrefix(first, "["):
		if strings.HasPrefix(first, "[") && isBracketTimestampLine(first) {
			return FormatPlain
		}
		return FormatJSON
	case isCueIndex(first):
		return FormatSRT
	}
	return FormatPlain
}

func expected(f Format) string {
	switch f {
	case FormatVTT:
		return `WebVTT cues ("00:00:01.000 --> 00:00:04.000" followed by "<v Speaker>text" or "Speaker: text")`
	case FormatSRT:
		return `SRT cues (a number, "00:00:01,000 --> 00:00:04,000", then "Speaker: text")`
	case FormatJSON:
		return `{"entries": [{"role": "user"|"assistant", "content": "...", "timestampMs": 0}]}`
	}
	return `"Speaker: text" lines`
}

func lineOfInvalidUTF8(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
