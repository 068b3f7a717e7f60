package api

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// logRequests logs every request once it is answered. It hands errors to
// the error handler itself, so the status it logs is the one sent. The
// remote address is the connection's: forwarded-for headers can be
// forged by anyone.
func (h *handlers) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		done := false
		defer func() {
			if !done { // the response was aborted; the cause is logged
				h.logRequest(c, start, "request aborted", slog.LevelWarn)
			}
		}()
		if err := next(c); err != nil {
			c.Error(err)
		}
		done = true
		h.logRequest(c, start, "request", slog.LevelInfo)
		return nil
	}
}

func (h *handlers) logRequest(c echo.Context, start time.Time, msg string, level slog.Level) {
	req := c.Request()
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", c.Response().Status),
		slog.Duration("duration", time.Since(start)),
		slog.String("remote", req.RemoteAddr),
	}
	if client, ok := c.Get(clientKey).(string); ok {
		attrs = append(attrs, slog.String("client", client))
	}
	h.log.LogAttrs(req.Context(), level, msg, attrs...)
}

// secureHeaders are set before the handler runs so that error responses
// carry them too. Nothing the API serves may be cached, sniffed into
// another type, or framed.
func secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set(echo.HeaderXContentTypeOptions, "nosniff")
		hd.Set(echo.HeaderCacheControl, "no-store")
		hd.Set(echo.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
		hd.Set(echo.HeaderReferrerPolicy, "no-referrer")
		return next(c)
	}
}

// panicError is a recovered panic, with the stack for the log.
type panicError struct {
	value error
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }
func (e *panicError) Unwrap() error { return e.value }

// recoverPanics turns a panic in a handler into a 500 whose cause and
// stack go to the error handler's log rather than echo's logger.
func recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return &panicError{value: err, stack: stack}
		},
		// Returned to logRequests, which hands every error to the error
		// handler.
		DisableErrorHandler: true,
	})
}
