"""The stages of `verify`, in the order data flows: source → recipe → upstream → build (with the
`--search` loop) → compare → explain → report. Each takes the typed results of the ones before."""
