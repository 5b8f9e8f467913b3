// The two kernels glue-kernel provides; each is a kernelspec and a session language.
export type KernelKind = 'pyspark' | 'spark';

export const KERNEL_KINDS: readonly KernelKind[] = ['pyspark', 'spark'];

export interface KernelKindInfo {
  kind: KernelKind;
  specName: string;
  displayName: string;
  language: string;
}

export const KIND_INFO: Record<KernelKind, KernelKindInfo> = {
  pyspark: { kind: 'pyspark', specName: 'glue_pyspark', displayName: 'Glue PySpark', language: 'python' },
  spark: { kind: 'spark', specName: 'glue_spark', displayName: 'Glue Spark', language: 'scala' },
};
