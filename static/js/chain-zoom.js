// Pan and zoom for the chain picture, with @panzoom/panzoom (static/vendor/panzoom).
// Without the script the picture shows whole, fitted to its box (viewBox), and the
// box scrolls. With it the box becomes a window: it opens on the act in data-focus
// (the root, or the act the chain was opened at) at a size that reads, and moves
// by mouse (drag, wheel), touch (drag, pinch), keys on the focused picture
// (+ and − zoom, arrows pan, 0 fits) and the buttons beside it.
(function () {
  var box = document.querySelector("[data-chain-zoom]");
  if (!box || typeof Panzoom !== "function") return;
  var svg = box.querySelector("svg");
  if (!svg) return;
  var READABLE = 0.75; // the opening zoom never draws text smaller than this share
  var STEP = 60; // pixels per arrow key

  box.classList.add("is-zoomable");
  var natural = svg.viewBox.baseVal;
  var panzoom = Panzoom(svg, {
    maxScale: 8,
    minScale: 0.1,
    step: 0.25,
    canvas: true, // drag anywhere in the box, not only on the drawing
  });

  function shownScale() {
    // How large the picture's own units are drawn now, at scale 1.
    var rect = svg.getBoundingClientRect();
    return rect.width / natural.width;
  }

  function centreOn(element) {
    var target = element.getBoundingClientRect();
    var frame = box.getBoundingClientRect();
    var scale = panzoom.getScale();
    var dx = frame.left + frame.width / 2 - (target.left + target.width / 2);
    // Near the top of the window: what grew below comes into view under it.
    var dy = frame.top + Math.min(frame.height / 3, 100) - (target.top + target.height / 2);
    panzoom.pan(dx / scale, dy / scale, { relative: true, animate: false, force: true });
  }

  // Panzoom draws each change in the next animation frame; a callback asked for
  // after the change runs in that same frame, after the drawing, so it measures
  // the picture as it now is.
  function afterDrawing(then) {
    requestAnimationFrame(then);
  }

  function open() {
    box.removeAttribute("data-opened");
    panzoom.reset({ animate: false });
    afterDrawing(function () {
      var drawn = shownScale() / panzoom.getScale();
      if (drawn < READABLE) {
        panzoom.zoom(Math.min(READABLE / drawn, 8), { animate: false, force: true });
      }
      afterDrawing(function () {
        var focus = box.getAttribute("data-focus");
        var node = focus && svg.querySelector('[data-key="' + CSS.escape(focus) + '"]');
        if (node) centreOn(node);
        // Said once the picture stands where it opens (the browser tests wait for it).
        afterDrawing(function () { box.setAttribute("data-opened", ""); });
      });
    });
  }

  function pan(dx, dy) {
    var scale = panzoom.getScale();
    panzoom.pan(dx / scale, dy / scale, { relative: true, animate: false });
  }

  box.addEventListener("wheel", function (event) {
    panzoom.zoomWithWheel(event);
  });
  box.addEventListener("keydown", function (event) {
    if (event.target !== box || event.altKey || event.ctrlKey || event.metaKey) return;
    var keys = {
      "+": function () { panzoom.zoomIn(); },
      "=": function () { panzoom.zoomIn(); },
      "-": function () { panzoom.zoomOut(); },
      "−": function () { panzoom.zoomOut(); },
      "0": open,
      ArrowLeft: function () { pan(STEP, 0); },
      ArrowRight: function () { pan(-STEP, 0); },
      ArrowUp: function () { pan(0, STEP); },
      ArrowDown: function () { pan(0, -STEP); },
    };
    var action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  document.querySelectorAll("[data-chain-zoom-action]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-chain-zoom-action");
      if (action === "in") panzoom.zoomIn();
      else if (action === "out") panzoom.zoomOut();
      else open();
    });
  });
  // Panzoom moves to its start position once, just after it is made: open after that.
  setTimeout(open);
})();
