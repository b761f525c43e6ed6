"""train.py's data sources without a network: torchvision's CIFAR-10 reader on a fake
cifar-10-batches-py folder (its md5 check patched out), and the clear errors for data
that does not fit the exported model."""

import contextlib
import os
import pickle
import tempfile
import unittest
from unittest import mock

import torch

import helpers  # noqa: F401  (import path)
import data


def no_md5_checks():
    """torchvision checks each file's md5 against the real CIFAR's; the fake has others."""
    import torchvision.datasets.cifar as cifar
    patches = [mock.patch.object(cifar.CIFAR10, "_check_integrity", return_value=True), mock.patch.object(cifar, "check_integrity", return_value=True)]
    stack = contextlib.ExitStack()
    for p in patches:
        stack.enter_context(p)
    return stack


def fake_cifar(root, per_batch=4):
    """Five training batches and a test batch in torchvision's pickle layout: rows of
    3072 bytes, the R plane, then G, then B (each 32 x 32, row-major)."""
    d = os.path.join(root, "cifar-10-batches-py")
    os.makedirs(d)
    names = ["data_batch_%d" % i for i in range(1, 6)] + ["test_batch"]
    for k, name in enumerate(names):
        rows = torch.arange(per_batch * 3072, dtype=torch.int64).add(k).remainder(251).to(torch.uint8).reshape(per_batch, 3072)
        with open(os.path.join(d, name), "wb") as f:
            pickle.dump({"data": rows.numpy(), "labels": [(k + i) % 10 for i in range(per_batch)]}, f)
    with open(os.path.join(d, "batches.meta"), "wb") as f:
        pickle.dump({"label_names": ["c%d" % i for i in range(10)]}, f)
    return d


class Cifar(unittest.TestCase):
    def test_cifar10_becomes_uint8_nchw_with_its_labels(self):
        with tempfile.TemporaryDirectory() as root, no_md5_checks():
            fake_cifar(root)
            train, test = data.load("cifar10", root, root, (3, 32, 10))
        self.assertEqual(tuple(train.images.shape), (20, 3, 32, 32))
        self.assertEqual(tuple(test.images.shape), (4, 3, 32, 32))
        self.assertEqual(train.images.dtype, torch.uint8)
        # Image 0 of batch 1: byte j of its row is plane j // 1024, pixel j % 1024.
        row = torch.arange(3072).remainder(251).to(torch.uint8)
        self.assertTrue(torch.equal(train.images[0].reshape(-1), row))
        self.assertEqual(train.labels[:4].tolist(), [0, 1, 2, 3])
        self.assertEqual(test.labels.tolist(), [5, 6, 7, 8])

    def test_missing_cifar_says_to_download(self):
        with tempfile.TemporaryDirectory() as root:
            with self.assertRaisesRegex(RuntimeError, "add --download"):
                data.load("cifar10", root, root, (3, 32, 10))


class Fit(unittest.TestCase):
    def test_data_of_another_shape_is_refused_with_the_fix(self):
        with tempfile.TemporaryDirectory() as root, no_md5_checks():
            fake_cifar(root)
            with self.assertRaisesRegex(ValueError, r"the model expects 1x28x28 images and 10 classes, the dataset has 3x32x32.*--init fresh"):
                data.load("cifar10", root, root, (1, 28, 10))

    def test_export_without_data_explains_the_alternatives(self):
        with tempfile.TemporaryDirectory() as root:
            with self.assertRaisesRegex(FileNotFoundError, "--data cifar10, cifar100 or imagefolder"):
                data.load("lab", None, root, (3, 32, 10))


if __name__ == "__main__":
    unittest.main()
