package plots

// InputError reports figure data that cannot be drawn. Figure is the
// function's name, Field the offending field path (for example
// "rows[1].Counts"), Problem what is wrong with it.
type InputError struct {
	Figure  string
	Field   string
	Problem string
}

func (e *InputError) Error() string {
	return "plots: " + e.Figure + ": " + e.Field + ": " + e.Problem
}
