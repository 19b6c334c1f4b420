export { chiSquareSurvival, kolmogorovSurvival, normalSurvival } from "./distributions.js";
export {
  PSI_EPSILON,
  populationStabilityIndex,
  ksPValue,
  ksStatistic,
  chiSquareHomogeneity,
  twoProportionZTest,
  type ChiSquareResult,
  type ProportionTest,
} from "./tests.js";
