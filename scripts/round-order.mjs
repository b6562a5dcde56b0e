// The order in which the interleaved benchmarks run their variants, round by round: a fresh random order each
// round, seeded by the round's number so that a run is repeatable.
// Why not a rotation: in a rotated order each variant always follows the same one, so whatever a variant leaves
// behind (garbage to collect, pooled connections, warmed code) lands on the same successor in every round. In the
// loopback HTTP bench, an A/A control (a second, identical SDK client) placed right after the SDK read 101 % of it
// on average over twelve rotated runs; shuffled, it averaged 100.1 %.

/** `names` in the order of round `round` (a new array; the same round always gives the same order). */
export function roundOrder(names, round) {
  const order = [...names];
  let state = (round + 1) * 0x9e3779b1;
  const next = () => {
    // xorshift32: enough to shuffle a handful of names, and the same on every machine.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  return order;
}
