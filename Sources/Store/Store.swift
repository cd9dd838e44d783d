// The Store module; see ../shared/DESIGN.md.
