/**
 * Direction-aware comparison of a metric's value with its target.
 *
 * - {@link isAtTarget}: the rule goal progress counts a linked metric by (API_CONTRACT.md §e.7):
 *   Higher → value ≥ 0.9 × target; Lower → value ≤ 1.1 × target; Target → |value − target| ≤
 *   0.1 × |target|; no target or no value → never.
 * - {@link targetProgress}: progress toward the target in percent, 0–100 (§e.9, "Metric progress
 *   for display"): Higher → min(100, value / target × 100); Lower → min(100, target / value × 100);
 *   Target → 100 − |value − target| / (0.1 × |target|) × 100, clamped to 0–100.
 * - {@link isOnTrack} (same §e.9 paragraph): Higher → value ≥ 0.8 × target; Lower → value ≤
 *   1.2 × target; Target → within ±10 % of the target.
 * - {@link targetRemaining} and {@link isImprovement}: the distance still to go, and whether a
 *   change from one value to the next is for the better, by direction.
 */

/** Which way is better. */
export type Direction = 'Higher' | 'Lower' | 'Target';

/** Whether `value` counts as at target for a metric of `direction` (§e.7). */
export function isAtTarget(
  direction: string,
  value: number | null,
  target: number | null,
): boolean {
  if (value === null || target === null) return false;
  if (direction === 'Higher') return value >= 0.9 * target;
  if (direction === 'Lower') return value <= 1.1 * target;
  return Math.abs(value - target) <= 0.1 * Math.abs(target);
}

/** Percent of the way to `target` (0–100); 0 without a value or target (§e.9). */
export function targetProgress(
  direction: string,
  value: number | null,
  target: number | null,
): number {
  if (value === null || target === null) return 0;
  const clamp = (p: number) => Math.max(0, Math.min(100, p));
  if (direction === 'Higher')
    return target === 0 ? (value >= 0 ? 100 : 0) : clamp((value / target) * 100);
  if (direction === 'Lower') return value <= 0 ? 100 : clamp((target / value) * 100);
  if (target === 0) return value === 0 ? 100 : 0;
  return clamp(100 - (Math.abs(value - target) / (0.1 * Math.abs(target))) * 100);
}

/** Whether `value` is on track toward `target` (§e.9); never without a value or target. */
export function isOnTrack(direction: string, value: number | null, target: number | null): boolean {
  if (value === null || target === null) return false;
  if (direction === 'Higher') return value >= 0.8 * target;
  if (direction === 'Lower') return value <= 1.2 * target;
  return Math.abs(value - target) <= 0.1 * Math.abs(target);
}

/**
 * How far `value` still is from `target`, in the metric's unit, never negative: Higher →
 * target − value; Lower → value − target; Target → |value − target|. 0 without a value or target.
 */
export function targetRemaining(
  direction: string,
  value: number | null,
  target: number | null,
): number {
  if (value === null || target === null) return 0;
  if (direction === 'Higher') return Math.max(0, target - value);
  if (direction === 'Lower') return Math.max(0, value - target);
  return Math.abs(value - target);
}

/**
 * Whether moving from `previous` to `current` is an improvement: Higher → it rose; Lower → it
 * fell; Target → it came closer to `target` (never without a target).
 */
export function isImprovement(
  direction: string,
  previous: number,
  current: number,
  target: number | null,
): boolean {
  if (direction === 'Higher') return current > previous;
  if (direction === 'Lower') return current < previous;
  return target !== null && Math.abs(current - target) < Math.abs(previous - target);
}
