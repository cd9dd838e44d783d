// The Flows module; see ../shared/DESIGN.md.
