"""Debian's jupyter_kernel_test against the glue kernels on the local backend.

Run by test/integration/kernel/conformance.test.ts with JUPYTER_PATH pointing at a private
kernelspec directory (glue-kernel install --prefix ... --backend local).
"""
import unittest

import jupyter_kernel_test


class GluePySparkLocalTests(jupyter_kernel_test.KernelTests):
    kernel_name = "glue_pyspark"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('some text on stderr', file=sys.stderr)"
    code_generate_error = "raise ValueError('this cell fails on purpose')"

    completion_samples = [
        {"text": "%he", "matches": {"%help"}},
        {"text": "%stop_s", "matches": {"%stop_session"}},
    ]
    complete_code_samples = ["1+1", "x = [1,\n 2]", "%help", "def f(x):\n    return x\n\n"]
    incomplete_code_samples = ["def f(x):", "x = [1,", "s = '''abc", "for i in range(3):\n    print(i)"]
    invalid_code_samples = [")", "x = (1]", "s = 'abc"]

    code_inspect_sample = "%help"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first code cell reports which engine runs (a banner stream); run it once so
        # the tests that count a cell's outputs see the steady state.
        cls.kc.execute_interactive("pass", timeout=120)


class GlueSparkKernelInfoTests(jupyter_kernel_test.KernelTests):
    kernel_name = "glue_spark"
    language_name = "scala"
    file_extension = ".scala"


if __name__ == "__main__":
    unittest.main()
