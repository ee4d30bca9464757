"""A small Chrome DevTools Protocol driver for the browser tests: headless Chromium, network blocked.

Chromium is started with `--remote-debugging-port=0`; it writes the port it chose into
DevToolsActivePort in the profile folder, and we talk to its page over one websocket (a flattened
session, so no HTTP endpoint is needed). Input goes through Input.dispatchMouseEvent/KeyEvent, so the
page sees the same pointer and key events a user's hand would make. Every console error, uncaught
exception, JavaScript dialog and network request is recorded for the test to check.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars", "--mute-audio", "--lang=en-US",
         "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]   # no network at all


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1400, height: int = 900, timeout: float = 60):
        self.timeout = timeout
        self.events: list[dict] = []
        self._next_id = 0
        profile.mkdir(parents=True, exist_ok=True)
        port_file = profile / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)
        self.log = profile / "chromium.log"          # a file, not a pipe: a full pipe would stall Chromium
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--window-size={width},{height}",
                                          "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                                         stdout=subprocess.DEVNULL, stderr=log)
        try:
            port, path = self._active_port(port_file)
            self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=timeout,
                                                  suppress_origin=True)
            page = next(t for t in self.send("Target.getTargets", session=None)["targetInfos"]
                        if t["type"] == "page")
            self.session = self.send("Target.attachToTarget", session=None, targetId=page["targetId"],
                                     flatten=True)["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable")
            self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                      mobile=False)
        except BaseException:
            self.close()
            raise

    def _active_port(self, port_file: Path) -> tuple[int, str]:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CDPError(f"chromium exited: {self.log.read_text(errors='replace')[-2000:]}")
            lines = port_file.read_text().splitlines() if port_file.exists() else []
            if len(lines) >= 2:
                return int(lines[0]), lines[1]
            time.sleep(0.05)
        raise CDPError(f"chromium did not open its debugging port in {self.timeout:.0f} s: "
                       f"{self.log.read_text(errors='replace')[-2000:]}")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # -- the protocol ------------------------------------------------------------------------------
    def send(self, method: str, session: str | None = "page", **params) -> dict:
        """Send one command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = self._receive(self.timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})

    def _receive(self, timeout: float) -> dict:
        self.ws.settimeout(timeout)
        message = json.loads(self.ws.recv())
        if "method" in message:
            self.events.append(message)
            if message["method"] == "Page.javascriptDialogOpening":     # don't let a dialog hang the page
                self.ws.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog", "sessionId": self.session,
                                         "params": {"accept": False}}))
        return message

    def pump(self, seconds: float) -> None:
        """Collect events for a while (dialogs, console messages, requests)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._receive(left)
            except websocket.WebSocketTimeoutException:
                return

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float | None = None):
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            self.pump(0.05)
        raise CDPError(f"timed out waiting for {expression}")

    def open(self, url: str, ready: str = "document.body && document.body.dataset.ready === 'true'") -> None:
        """Load the page, wait until `ready` holds; what happened before is forgotten."""
        self.send("Page.navigate", url="about:blank")     # else a new #fragment would not reload the page
        self.wait_for("location.href === 'about:blank' && document.readyState === 'complete'")
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for(ready)

    # -- a user's hands ----------------------------------------------------------------------------
    def move(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def click(self, x: float, y: float) -> None:
        self.move(x, y)
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", buttons=1, clickCount=1)

    def click_element(self, selector: str) -> None:
        """Click the middle of the element, as a mouse would (it must be on screen)."""
        rect = self.evaluate(f"(function (e) {{ e.scrollIntoView({{block: 'center'}}); var r = e.getBoundingClientRect();"
                             f" return [r.left + r.width / 2, r.top + r.height / 2]; }})"
                             f"(document.querySelector({json.dumps(selector)}))")
        self.click(*rect)

    def type(self, text: str) -> None:
        """Type into the focused element, one key at a time."""
        for ch in text:
            self.send("Input.dispatchKeyEvent", type="keyDown", text=ch, key=ch, unmodifiedText=ch)
            self.send("Input.dispatchKeyEvent", type="keyUp", key=ch)

    def press(self, key: str, code: int) -> None:
        text = "\r" if key == "Enter" else ""
        self.send("Input.dispatchKeyEvent", type="keyDown", key=key, code=key, windowsVirtualKeyCode=code, text=text)
        self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=key, windowsVirtualKeyCode=code)

    def screenshot(self, path: Path) -> None:
        import base64
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))

    # -- what happened -----------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, dialogs and network requests seen so far."""
        found = []
        for e in self.events:
            p, method = e.get("params", {}), e["method"]
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {p['exceptionDetails'].get('exception', {}).get('description') or p['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
                found.append(f"console.{p['type']}: {[a.get('value', a.get('description')) for a in p['args']]}")
            elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                found.append(f"log {p['entry']['level']}: {p['entry']['text']}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog {p['type']}: {p['message']}")
            elif method == "Network.requestWillBeSent" and not p["request"]["url"].startswith(("file:", "data:", "about:")):
                found.append(f"request: {p['request']['url']}")
        return found
