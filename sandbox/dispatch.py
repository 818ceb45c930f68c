"""The short way of a declared operation's request through Flask.

Flask spends ~55 µs of every request on what the sandbox does not use: a URL
adapter bound to the request's host, an application context built and
pushed, signals sent to no receiver, hook lists walked empty, teardown. A
request for a declared operation (core.api marks its view) whose route is
found in a table built once skips those, and is otherwise what Flask does:
one Flask `Request`, `request` and `current_app` bound for the view and the
error handlers, the view called, any exception handed to the app's error
handlers, the value made a response by `make_response`, the request closed.

A route is found in a dict by method and path when it has no path
parameter, else by Werkzeug's matcher on one adapter bound once (a route
depends on the path alone: the sandbox matches no host or subdomain).
Anything else takes Flask's own way: a route that is not a declared
operation's, a 404, a 405 or a redirect (Flask then answers them as it
always did), OPTIONS, HEAD, a path that is not ASCII, a request whose
context a test client keeps, and every request of an app that has any hook,
signal receiver or url processor at all (checked per request: a partner may
add one)."""

from __future__ import annotations

from flask import Flask
from flask.ctx import AppContext, RequestContext, _cv_app, _cv_request
from flask.signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    request_finished,
    request_started,
    request_tearing_down,
)
from werkzeug.exceptions import HTTPException

from sandbox.core.api import DECLARED, MAY_WAIT

#: where `route_may_wait` leaves the route it found, for `wsgi_app` (one match per request)
_FOUND = "sandbox.route"

_SIGNALS = (request_started, request_finished, request_tearing_down, appcontext_pushed, appcontext_popped,
            appcontext_tearing_down)


class _RequestContext(RequestContext):
    """Flask's request context without the URL adapter it binds to each
    request's host (the route is already found; url_for then builds from the
    application context, as it does outside a request)."""

    def __init__(self, app: Flask, request) -> None:  # what RequestContext.__init__ sets, minus the adapter
        self.app = app
        self.request = request
        self.url_adapter = None
        self.flashes = None
        self._session = None
        self._after_request_functions = []
        self._cv_tokens = []


class LeanDispatch(Flask):
    """A Flask app whose declared operations take the short way."""

    _lean_routes: dict[tuple[str, str], object] | None = None
    _lean_adapter = None

    def _route(self, method: str, path: str) -> tuple[object, dict] | None:
        """The declared operation's rule the request goes to, and its path parameters (None: not one)."""
        routes = self._lean_routes
        if routes is None:
            routes = self._lean_routes = self._static_routes()
            self._lean_adapter = self.url_map.bind("localhost")
        rule = routes.get((method, path))
        if rule is not None:
            return rule, {}
        if method in ("HEAD", "OPTIONS") or not path.isascii():
            return None
        try:
            rule, args = self._lean_adapter.match(path, method, return_rule=True)
        except HTTPException:  # a 404, 405 or redirect: Flask's way answers it as it always has
            return None
        return (rule, args) if getattr(self.view_functions.get(rule.endpoint), DECLARED, False) else None

    def _static_routes(self) -> dict[tuple[str, str], object]:
        """(method, path) -> rule, for every declared operation's route without a path parameter.
        Built on the first request: Flask refuses a rule added after it."""
        routes = {}
        for rule in self.url_map.iter_rules():
            if not rule.arguments and getattr(self.view_functions.get(rule.endpoint), DECLARED, False):
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    routes[(method, rule.rule)] = rule
        return routes

    def _hooked(self) -> bool:
        """Whether anything would run around a request: then every request takes Flask's way."""
        return (any(self.before_request_funcs.values()) or any(self.after_request_funcs.values())
                or any(self.teardown_request_funcs.values()) or bool(self.teardown_appcontext_funcs)
                or any(self.url_value_preprocessors.values()) or any(self.url_default_functions.values())
                or any(signal.receivers for signal in _SIGNALS))

    def route_may_wait(self, environ: dict) -> bool:
        """Whether the request's operation is declared `may_wait` (core.api), for the server to
        decide where to run it before it calls the app."""
        found = environ[_FOUND] = self._route(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        return found is not None and getattr(self.view_functions[found[0].endpoint], MAY_WAIT, False)

    def wsgi_app(self, environ: dict, start_response):
        found = environ.pop(_FOUND) if _FOUND in environ else \
            self._route(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
        if found is None or "werkzeug.debug.preserve_context" in environ or self._hooked():
            return super().wsgi_app(environ, start_response)
        rule, view_args = found
        self._got_first_request = True
        request = self.request_class(environ)
        request.json_module = self.json
        request.url_rule = rule
        request.view_args = view_args
        app_token = _cv_app.set(AppContext(self))
        request_token = _cv_request.set(_RequestContext(self, request))
        try:
            try:
                try:
                    rv = self.view_functions[rule.endpoint](**view_args)
                except Exception as e:  # noqa: BLE001 - as Flask's full_dispatch_request: the app's handlers answer
                    rv = self.handle_user_exception(e)
                response = self.make_response(rv)
            except Exception as e:  # noqa: BLE001 - as Flask's wsgi_app: a handler's own failure
                response = self.handle_exception(e)
            return response(environ, start_response)
        finally:
            request.close()
            environ["werkzeug.request"] = None  # no cycle left for the collector (as Flask's pop)
            _cv_request.reset(request_token)
            _cv_app.reset(app_token)
