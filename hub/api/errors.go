package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// clientError is a refusal whose message the API chose. The message is
// a constant of this package, never derived from the cause.
type clientError struct {
	status int
	msg    string // fixedMessage(status) when empty
	cause  error
}

func (e *clientError) Error() string {
	msg := e.message()
	if e.cause != nil {
		return msg + ": " + e.cause.Error()
	}
	return msg
}

func (e *clientError) Unwrap() error { return e.cause }

func (e *clientError) message() string {
	if e.msg != "" {
		return e.msg
	}
	return fixedMessage(e.status)
}

// badRequest refuses a request with a specific, constant message.
func badRequest(msg string) error {
	return &clientError{status: http.StatusBadRequest, msg: msg}
}

// fixedMessage is what a client is told for a status when nothing more
// specific was chosen.
func fixedMessage(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "unauthorized"
	case status >= 500:
		return "internal error"
	case http.StatusText(status) != "":
		return strings.ToLower(http.StatusText(status))
	default:
		return "bad request"
	}
}

// errorBody is every error response.
type errorBody struct {
	Error string `json:"error"`
}

// handleError is the one place where errors become responses. Only a
// clientError's chosen message, or the fixed message of a status, is
// sent; echo's own messages and the causes go to the log.
func (h *handlers) handleError(err error, c echo.Context) {
	status, msg := http.StatusInternalServerError, fixedMessage(http.StatusInternalServerError)
	var ce *clientError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ce):
		status, msg = ce.status, ce.message()
	case errors.As(err, &he):
		status, msg = he.Code, fixedMessage(he.Code)
	}
	req := c.Request()
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Any("err", err),
	}
	var pe *panicError
	if errors.As(err, &pe) {
		attrs = append(attrs, slog.String("stack", string(pe.stack)))
	}

	if c.Response().Committed {
		// A streamed response has begun: its status cannot change, and
		// ending it normally would pass a partial export for a whole one.
		// Aborting makes net/http drop the connection (HTTP/1) or reset
		// the stream (HTTP/2) without the end-of-body marker.
		level := slog.LevelError
		if errors.Is(err, context.Canceled) {
			level = slog.LevelWarn // the client went away
		}
		attrs = append(attrs, slog.Int("status", c.Response().Status))
		h.log.LogAttrs(req.Context(), level, "response cut short", attrs...)
		panic(http.ErrAbortHandler)
	}

	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	attrs = append(attrs, slog.Int("status", status))
	h.log.LogAttrs(req.Context(), level, "request failed", attrs...)

	if status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, "Bearer")
	}
	if req.Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, errorBody{Error: msg})
	}
	if err != nil {
		h.log.LogAttrs(req.Context(), slog.LevelWarn, "write error response",
			slog.String("path", req.URL.Path), slog.Any("err", err))
	}
}
