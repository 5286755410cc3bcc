/**
 * The part of jStat (https://jstat.github.io, no bundled types) this project uses: the CDF of
 * Student's t distribution.
 */
declare module 'jstat' {
  const jStat: {
    studentt: {
      /** P(T ≤ x) for Student's t with `dof` degrees of freedom. */
      cdf(x: number, dof: number): number;
    };
  };
  export default jStat;
}
