"""The Python exception for each failure of the Java core: one table for both runtimes and for
fmmap.smmap (Python 2.7 subset: Jython shares it).

The runtime adapter builds a Translation with the Java classes it loaded (GraalPy and Jython reach
Java differently) and the exception class CPython uses for failed system calls (OSError, or 2.7's
mmap.error).
"""
import errno
import os


class Translation(object):
    """Java exception -> the Python exception CPython raises in the same situation."""

    def __init__(self, errno_exception, illegal_state, illegal_argument, index_out_of_bounds,
                 unsupported, window_limit, os_error):
        self._errno_exception = errno_exception
        self._illegal_state = illegal_state
        self._illegal_argument = illegal_argument
        self._index_out_of_bounds = index_out_of_bounds
        self._unsupported = unsupported
        self._window_limit = window_limit
        self._os_error = os_error

    def __call__(self, error):
        if isinstance(error, self._errno_exception):
            code = error.errno()
            return self._os_error(code, os.strerror(code))
        if isinstance(error, self._illegal_state):
            return ValueError("mmap closed or invalid")
        if isinstance(error, self._illegal_argument):
            return ValueError(error.getMessage())
        if isinstance(error, self._index_out_of_bounds):
            # Only a resize or close racing in another thread gets past the shim's checks to here.
            return IndexError("mmap index out of range")
        if isinstance(error, self._unsupported):
            return TypeError(error.getMessage())
        if self._window_limit is not None and isinstance(error, self._window_limit):
            # fmmap.smmap's managers: the window (= open handle) limit is smmap's EMFILE, the byte
            # limit a MemoryError.
            message = str(error.getMessage())
            if error.isWindowLimit():
                return self._os_error(errno.EMFILE, "%s (the manager's max_open_handles: %s)"
                                      % (os.strerror(errno.EMFILE), message))
            return MemoryError("the manager's max_memory_size: %s" % message)
        return SystemError("fmmap core failure: %s" % error)


def fail(translate, error):
    """Raises the Python exception for a Java failure, without the Java exception as its context."""
    exc = translate(error)
    exc.__suppress_context__ = True
    raise exc
