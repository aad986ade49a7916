/**
 * Data types. `float32` and `float64` hold real numbers; `int32` holds class labels and indices
 * (PyTorch uses int64 for those; values beyond ±2^31 are never class indices, so losslab stores
 * them in an Int32Array and converts int64 `.npy` files with a range check).
 */
export type FloatDType = 'float32' | 'float64';
export type IntDType = 'int32';
export type DType = FloatDType | IntDType;

export type FloatArray = Float32Array | Float64Array;
export type TypedArrayFor<D extends DType> = D extends 'float32' ? Float32Array : D extends 'float64' ? Float64Array : Int32Array;
export type AnyTypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as TypedArrayFor<D>;
    case 'float64':
      return new Float64Array(length) as TypedArrayFor<D>;
    default:
      return new Int32Array(length) as TypedArrayFor<D>;
  }
}

/** The dtype that a typed array holds. */
export function dtypeOfArray(data: AnyTypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/** Largest finite value of a float dtype. */
export function maxFinite(dtype: FloatDType): number {
  return dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
}

/** Machine epsilon of a float dtype (as `torch.finfo(dtype).eps`). */
export function epsilonOf(dtype: FloatDType): number {
  return dtype === 'float32' ? 1.1920928955078125e-7 : Number.EPSILON;
}
