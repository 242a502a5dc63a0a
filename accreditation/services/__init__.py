"""State changes of the register, one function per move (see STYLE.md)."""
