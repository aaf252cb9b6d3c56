"""The colours of every picture, named once: the renderers take their fills and
strokes from here, so a chain, a week strip and a share card stay one family."""

# The teal of the brand and its lighter steps: public acts, filled days, paths.
ACCENT = "#2f7d6d"
ACCENT_MID = "#4f9e8b"
ACCENT_SOFT = "#8fc5b6"
ACCENT_PALE = "#cfe6df"
ACCENT_TINT = "#e4f0ec"
# The warm counterpoint: the viewer's own acts, today.
WARM = "#c8623b"

# Text.
INK = "#3d3a35"
INK_DARK = "#1f2a2e"
MUTED = "#6b665e"
SLATE = "#56656b"
FAINT = "#9a948a"

# Lines and quiet fills.
LINE = "#c9c3b8"
LINE_GREY = "#b9b5aa"
LINE_COOL = "#b9c2c0"
GRID = "#e6e3dc"
STONE = "#cfcabe"
EMPTY = "#ece9e2"
CREAM = "#f7f5f0"
BACKGROUND = "#fbfaf7"
PAPER = "#ffffff"
