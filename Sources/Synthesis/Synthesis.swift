// The Synthesis module; see ../shared/DESIGN.md.
