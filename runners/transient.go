package runners

import (
	"context"
	"errors"
	"os/exec"
)

// ExitTempFail is the exit status (sysexits EX_TEMPFAIL) by which a task
// process says its failure is transient and worth a retry.
const ExitTempFail = 75

// TransientError marks a failure worth retrying (a lost device, a busy file
// system), as opposed to a bug or bad input.
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return "transient: " + e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// Transient wraps err as a TransientError (nil stays nil).
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return &TransientError{Err: err}
}

// IsTransient reports whether err is worth a retry: a TransientError in its
// chain, or a process that exited with ExitTempFail. Cancellation is never
// transient.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var te *TransientError
	if errors.As(err, &te) {
		return true
	}
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == ExitTempFail
}

type envKey struct{}

// WithEnv returns a context carrying extra environment variables
// ("NAME=value") for the task run under it, e.g. CUDA_VISIBLE_DEVICES set by
// a runner that hands out device slots. Executors apply them to subprocesses
// or read them with EnvFrom.
func WithEnv(ctx context.Context, env ...string) context.Context {
	all := append(append([]string(nil), EnvFrom(ctx)...), env...)
	return context.WithValue(ctx, envKey{}, all)
}

// EnvFrom returns the environment variables added by WithEnv.
func EnvFrom(ctx context.Context) []string {
	env, _ := ctx.Value(envKey{}).([]string)
	return env
}
