// The Reports module; see ../shared/DESIGN.md.
