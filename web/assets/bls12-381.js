// The one piece of @noble/curves the draw verifier needs: BLS12-381, to check drand rounds.
export { bls12_381 } from "@noble/curves/bls12-381.js";
