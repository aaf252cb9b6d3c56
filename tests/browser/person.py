"""One person in their own browser context, and the checks run on every page
they see.

Each page a person lands on (``goto``, ``press``, ``tap``, ``after``) is
photographed into tests/browser/screenshots/ and must show no console error, no
Content-Security-Policy violation, no uncaught script error and no failed or
erroneous request to the site itself. axe-core checks each kind of page (see
``PAGE_KIND``) the first time it is seen: no violation of impact "serious" or
"critical".
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.factories import PASSWORD

# Chromium reports CSP violations as console errors too; this listener names
# them plainly. Init scripts are injected by the browser, so the CSP lets them run.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content-Security-Policy violation: ${event.effectiveDirective} blocked ` +
    `${event.blockedURI || "inline code"} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ` +
      v.nodes.slice(0, 5).map((node) => node.target.join(" ")).join(", "));
}"""

# What kind of page this is: its path with ids and codes blanked, its language,
# and the classes used in its main content (a dashboard with a week strip is
# another kind than one without). axe-core runs once per kind.
PAGE_KIND = r"""() => {
  const path = location.pathname.replace(/\/(\d+|[A-Za-z0-9_-]{12,})(?=\/|$)/g, "/*");
  const classes = new Set();
  for (const el of document.querySelectorAll("main [class]")) {
    for (const name of el.classList) classes.add(name);
  }
  return [path, document.documentElement.lang, ...[...classes].sort()].join(" ");
}"""

NO_HORIZONTAL_SCROLL = """() => {
  const root = document.documentElement;
  return {scroll: Math.max(root.scrollWidth, document.body.scrollWidth), view: root.clientWidth};
}"""

# Every visible button (and button-like link) of the main content, with whether
# a tap on its centre reaches it: on screen, big enough, not covered.
TAP_TARGETS = """() => {
  const found = [];
  const buttons = "main button, main .button, main input[type=submit]";
  for (const el of document.querySelectorAll(buttons)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    el.scrollIntoView({block: "center", inline: "nearest"});
    const now = el.getBoundingClientRect();
    const hit = document.elementFromPoint(now.left + now.width / 2, now.top + now.height / 2);
    found.push({
      name: (el.innerText || el.value || "").trim(),
      width: now.width, height: now.height, left: now.left, right: now.right,
      reachable: hit !== null && (hit === el || el.contains(hit)),
    });
  }
  window.scrollTo(0, 0);
  return found;
}"""


class Person:
    """A browser context of its own (own cookies, own language) with one page."""

    def __init__(
        self,
        name,
        context,
        *,
        base_url,
        axe_script: Path,
        screenshots: Path,
        prefix,
        axe_done,
        full_page_shots: bool = True,
    ):
        self.name = name
        self.full_page_shots = full_page_shots
        self.context = context
        self.base_url = base_url
        self.screenshots = screenshots
        self.prefix = prefix
        self.problems: list[str] = []
        self.pages_seen = 0
        self.axe_done: set[str] = axe_done  # the kinds of page axe-core has checked
        # An error page asked for: (its URL, or None for the next page of a form sent, status).
        self.expected_status: tuple[str | None, int] | None = None
        context.add_init_script(script=REPORT_CSP_VIOLATIONS)
        # Loaded by the browser into every page, like the listener above: no
        # inline <script> that the app's CSP would (rightly) refuse.
        context.add_init_script(path=str(axe_script))
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._problem(f"uncaught script error: {error}"))
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)

    # What goes wrong, as it happens

    def _problem(self, text: str) -> None:
        self.problems.append(f"{text} [on {self.page.url}]")

    def _console(self, message) -> None:
        if message.type != "error":
            return
        if self.expected_status is not None:
            url, status = self.expected_status
            # Chromium's own note about the error page that was asked for.
            if message.location.get("url") == url and f"status of {status} " in message.text:
                return
        self._problem(f"console error: {message.text}")

    def _own(self, url: str) -> bool:
        return url.startswith(self.base_url + "/")

    def _request_failed(self, request) -> None:
        if self._own(request.url):
            self._problem(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response) -> None:
        if self.expected_status == (None, response.status) and (
            response.request.resource_type == "document"
        ):
            # The page a refused form answers with (its URL is the form's action).
            self.expected_status = (response.url, response.status)
        if (response.url, response.status) == self.expected_status:
            return
        if self._own(response.url) and response.status >= 400:
            self._problem(f"HTTP {response.status} for {response.request.method} {response.url}")

    # Moving around

    def url(self, path: str = "") -> str:
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path: str, status: int = 200) -> None:
        """Open ``path`` (an error page when ``status`` says so) and look at it."""
        self.expected_status = (self.url(path), status) if status >= 400 else None
        response = self.page.goto(self.url(path))
        assert response is not None, path
        assert response.status == status, f"{path} answered {response.status}"
        self.seen()

    def after(self, action, status: int = 200) -> None:
        """Do ``action``, which leads to another page, and look at that page; a form
        sent back with its errors answers ``status`` 422 or 409."""
        self.expected_status = (None, status) if status >= 400 else None
        with self.page.expect_navigation() as navigation:
            action()
        assert navigation.value is not None and navigation.value.status == status, (
            f"{self.page.url} answered {navigation.value and navigation.value.status}"
        )
        self.seen()

    def press(self, target, status: int = 200) -> None:
        """Click a link or button that leads to another page."""
        self.after(target.click, status)

    def tap(self, target, status: int = 200) -> None:
        """Tap (on a touch screen) a link or button that leads to another page."""
        self.after(target.tap, status)

    def button(self, name: str, within: str = "main"):
        return self.page.locator(within).get_by_role("button", name=name, exact=True)

    def link(self, name: str, within: str = "body"):
        return self.page.locator(within).get_by_role("link", name=name, exact=True)

    def switch_language(self, name: str) -> None:
        self.press(self.page.locator("footer").get_by_role("button", name=name, exact=True))

    # What the person sees

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def heading(self) -> str:
        return self.page.locator("main h1").first.inner_text()

    def flashes(self) -> list[str]:
        return self.page.locator(".flash").all_inner_texts()

    def seen(self) -> None:
        """Check the page now shown, and keep a picture of it."""
        self.page.wait_for_load_state("load")
        self.pages_seen += 1
        slug = re.sub(r"[^a-z0-9]+", "-", self.path.lower()).strip("-") or "home"
        shot = f"{self.prefix}-{self.name}-{self.pages_seen:02d}-{slug}"[:120] + ".png"
        self.page.screenshot(path=str(self.screenshots / shot), full_page=self.full_page_shots)
        kind = self.page.evaluate(PAGE_KIND)
        if kind not in self.axe_done:
            findings = self.page.evaluate(RUN_AXE)
            assert not findings, f"axe-core on {self.page.url}:\n" + "\n".join(findings)
            self.axe_done.add(kind)
        assert not self.problems, f"{self.name} met problems:\n" + "\n".join(self.problems)

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the screen (0: no sideways scrolling)."""
        sizes = self.page.evaluate(NO_HORIZONTAL_SCROLL)
        return max(0, sizes["scroll"] - sizes["view"])

    def tap_targets(self) -> list[dict]:
        return self.page.evaluate(TAP_TARGETS)

    # Common steps

    def sign_up(self, display_name: str, email: str) -> None:
        """Fill the sign-up form shown now; the language and time zone stay as the
        page preselected them from the browser's."""
        page = self.page
        page.fill("#email", email)
        page.fill("#display_name", display_name)
        page.fill("#password", PASSWORD)
        self.press(page.locator("main form button[type=submit]"))
        refused = page.locator("main .errors li, main .form-errors p").all_inner_texts()
        assert not refused, f"sign-up of {email} refused: {refused}"
