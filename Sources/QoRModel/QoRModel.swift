// The QoRModel module; see ../shared/DESIGN.md.
