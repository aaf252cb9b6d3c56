// The replay: a slider that shows the chain's picture as it stood at the end of
// each week. The server names the week of every drawn act (by the data-key of its
// box) in the JSON block #chain-weeks; without this script the control stays
// hidden and the picture shows the whole chain.
(function () {
  var data = document.getElementById("chain-weeks");
  var control = document.querySelector(".chain-replay");
  var slider = document.getElementById("chain-replay");
  var output = document.getElementById("chain-replay-week");
  var tree = document.querySelector(".chain-picture svg");
  if (!data || !control || !slider || !tree) return;
  var replay = JSON.parse(data.textContent);
  var boxes = Array.prototype.slice.call(tree.querySelectorAll("[data-key]"));
  var edges = null;

  // A box inside a link hides with its link, so it leaves the tab order too.
  function shape(box) {
    return box.closest("a") || box;
  }

  // Each edge belongs to the box it ends on: edges carry no key of their own.
  function edgeOwners() {
    var places = boxes.map(function (box) {
      var bounds = box.getBBox();
      return { key: box.getAttribute("data-key"), x: bounds.x + bounds.width / 2, y: bounds.y, box: bounds };
    });
    return Array.prototype.slice.call(tree.querySelectorAll("path.chain-edge")).map(function (edge) {
      var end = edge.getPointAtLength(edge.getTotalLength());
      var best = null;
      var distance = Infinity;
      places.forEach(function (place) {
        var inside = end.x >= place.box.x - 2 && end.x <= place.box.x + place.box.width + 2;
        var away = Math.abs(end.y - place.y) + Math.abs(end.x - place.x) / 1000;
        if (inside && away < distance) {
          best = place.key;
          distance = away;
        }
      });
      return { edge: edge, key: distance < 12 ? best : null };
    });
  }

  function weekOf(key, last) {
    var week = replay.nodes[key];
    // A "+N acts" stand-in has no week: it belongs to the finished chain.
    return week === undefined ? last : week;
  }

  function show(week) {
    var last = Number(slider.max);
    boxes.forEach(function (box) {
      var later = weekOf(box.getAttribute("data-key"), last) > week;
      shape(box).classList.toggle("replay-later", later);
    });
    if (edges === null) edges = edgeOwners();
    edges.forEach(function (owner) {
      var later = owner.key !== null && weekOf(owner.key, last) > week;
      owner.edge.classList.toggle("replay-later", later);
    });
    var label = replay.weeks[week] || "";
    output.textContent = label;
    slider.setAttribute("aria-valuetext", label);
  }

  control.hidden = false;
  slider.addEventListener("input", function () {
    show(Number(slider.value));
  });
})();
