"""The public benchmarks an experiment names (cifar10, cifar100, tiny-imagenet): the
Tiny ImageNet folder as downloaded, --data auto, and --full (the full-size run)."""

import os
import tempfile
import types
import unittest

import torch

import helpers  # noqa: F401  (import path)
import data
import train


def fake_tiny_imagenet(root, wnids=("n02", "n01", "n03"), per_class=2):
    """tiny-imagenet-200's layout with real JPEGs: train/<wnid>/images, val/images and
    val_annotations.txt (file, wnid, box); each image one flat colour per class."""
    from PIL import Image
    os.makedirs(os.path.join(root, "val", "images"))
    with open(os.path.join(root, "wnids.txt"), "w") as f:
        f.write("\n".join(wnids) + "\n")
    lines = []
    for k, w in enumerate(wnids):
        d = os.path.join(root, "train", w, "images")
        os.makedirs(d)
        colour = (40 * k + 20, 100, 200 - 40 * k)
        for i in range(per_class):
            Image.new("RGB", (64, 64), colour).save(os.path.join(d, "%s_%d.JPEG" % (w, i)), quality=95)
        name = "val_%d.JPEG" % k
        Image.new("RGB", (64, 64), colour).save(os.path.join(root, "val", "images", name), quality=95)
        lines.append("%s\t%s\t0\t0\t63\t63" % (name, w))
    with open(os.path.join(root, "val", "val_annotations.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


class TinyImageNet(unittest.TestCase):
    def test_the_downloaded_tree_loads_with_sorted_wnids_as_classes(self):
        with tempfile.TemporaryDirectory() as root:
            fake_tiny_imagenet(root)
            train_split, test_split = data.load("tinyimagenet", root, root, (3, 64, 200))
        self.assertEqual(tuple(train_split.images.shape), (6, 3, 64, 64))
        self.assertEqual(tuple(test_split.images.shape), (3, 3, 64, 64))
        # wnids.txt says n02, n01, n03; the lab (and this loader) number them sorted.
        self.assertEqual(train_split.labels.tolist(), [0, 0, 1, 1, 2, 2])
        self.assertEqual(test_split.labels.tolist(), [1, 0, 2])
        # n02 is class 1 and was drawn in colour k = 0: red channel ~20 (JPEG may move it a little).
        self.assertLess(abs(int(train_split.images[2, 0, 10, 10]) - 20), 4)

    def test_an_annotation_naming_no_class_is_refused_with_its_line(self):
        with tempfile.TemporaryDirectory() as root:
            fake_tiny_imagenet(root)
            with open(os.path.join(root, "val", "val_annotations.txt"), "a") as f:
                f.write("val_9.JPEG\tn99\t0\t0\t1\t1\n")
            with self.assertRaisesRegex(ValueError, "line 4 names no class"):
                data.load("tinyimagenet", root, root, (3, 64, 200))

    def test_a_folder_that_is_not_the_tree_says_what_to_pass(self):
        with tempfile.TemporaryDirectory() as root:
            with self.assertRaisesRegex(FileNotFoundError, "unzipped tiny-imagenet-200 folder"):
                data.load("tinyimagenet", root, root, (3, 64, 200))


class Sources(unittest.TestCase):
    def test_auto_is_the_exported_data_else_the_named_benchmark(self):
        with tempfile.TemporaryDirectory() as export:
            self.assertEqual(data.source_for("auto", {"standard": "cifar100"}, export), "cifar100")
            self.assertEqual(data.source_for("auto", {}, export), "lab")
            self.assertEqual(data.source_for("cifar10", {"standard": "cifar100"}, export), "cifar10")
            os.makedirs(os.path.join(export, "data"))
            open(os.path.join(export, "data", "dataset.safetensors"), "wb").close()
            self.assertEqual(data.source_for("auto", {"standard": "cifar100"}, export), "lab")


class FullSize(unittest.TestCase):
    def args(self, **over):
        a = dict(init="lab", width=None, epochs=None, steps=None)
        a.update(over)
        return types.SimpleNamespace(**a)

    def test_full_takes_the_experiments_width_and_epochs_unless_flags_say_otherwise(self):
        a = self.args()
        train.full_size(a, {"fullWidth": 64, "fullEpochs": 200})
        self.assertEqual((a.init, a.width, a.epochs), ("fresh", 64, 200.0))
        b = self.args(width=32, steps=10)
        train.full_size(b, {"fullWidth": 64, "fullEpochs": 200})
        self.assertEqual((b.init, b.width, b.epochs), ("fresh", 32, None))

    def test_full_without_settings_says_how_to_set_them(self):
        with self.assertRaisesRegex(SystemExit, "no full-size settings"):
            train.full_size(self.args(), {})


if __name__ == "__main__":
    torch.manual_seed(0)
    unittest.main()
