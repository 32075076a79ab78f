"""What the biology is: module declarations and equations. No solver, no I/O."""
