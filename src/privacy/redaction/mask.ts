/**
 * Same length as what it hides, and neither digit, letter nor separator, so offsets stay valid and
 * later detectors neither match it nor treat it as part of a number or a name.
 */
export const MASK = '\uFFFC';
