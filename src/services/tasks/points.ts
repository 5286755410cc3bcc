/**
 * Default point value of a task (API_CONTRACT.md §e.1, mirroring the client's
 * `point-calculator.service.ts`):
 *
 *   points = round(sp × 20 × priorityMult × areaMult × sizeMult),  sp = size ?? 5
 *
 * priorityMult P1 2.0, P2 1.5, P3 1.2, P4 1.0; areaMult Health 1.3, Wealth 1.2, Love 1.2,
 * Happiness 1.1, Operations 1.0, Day Job 1.1; sizeMult 1.5 when size ≥ 13, 1.2 when size ≥ 8,
 * else 1.0 (also when size is null). Example: size 8, P2, Health → round(160 × 1.5 × 1.3 × 1.2)
 * = 374.
 */

export const PRIORITY_MULTIPLIER: Record<string, number> = { P1: 2.0, P2: 1.5, P3: 1.2, P4: 1.0 };
/** Area multipliers of §e.1. */
export const AREA_MULTIPLIER: Record<string, number> = {
  Health: 1.3,
  Wealth: 1.2,
  Love: 1.2,
  Happiness: 1.1,
  Operations: 1.0,
  'Day Job': 1.1,
};

/** Points (an integer) for a task of `size` story points (null = 5), `priority` and `area`. */
export function taskPointValue(
  size: number | null | undefined,
  priority: string,
  area: string,
): number {
  const sp = size ?? 5;
  const sizeMultiplier = size == null ? 1.0 : size >= 13 ? 1.5 : size >= 8 ? 1.2 : 1.0;
  return Math.round(
    sp *
      20 *
      (PRIORITY_MULTIPLIER[priority] ?? 1.0) *
      (AREA_MULTIPLIER[area] ?? 1.0) *
      sizeMultiplier,
  );
}
