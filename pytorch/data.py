"""Datasets for train.py, as uint8 image tensors in memory, and the lab's batching.

Sources: the dataset the lab exported with the experiment (data/dataset.safetensors),
torchvision's CIFAR-10 / CIFAR-100, the Tiny ImageNet folder as downloaded, or an image folder (DIR/train/<class>/*.png and
DIR/test/<class>/*.png). Batches follow the lab: per-channel normalisation with the
training set's mean and std on the 0..1 scale, random crop after zero padding and
random horizontal flip, dropping the short last batch. Every process of a distributed
run draws the same global batch and keeps its own contiguous slice, so N processes see
exactly the data of one process.
"""

import os

import torch

import mixup
from safetensors_io import load_file


class Split:
    def __init__(self, images, labels):
        if images.dtype != torch.uint8 or images.dim() != 4:
            raise ValueError("images must be uint8 N x C x H x W, got %s %s" % (images.dtype, tuple(images.shape)))
        if labels.shape[0] != images.shape[0]:
            raise ValueError("%d labels for %d images" % (labels.shape[0], images.shape[0]))
        self.images = images
        self.labels = labels.long()

    def __len__(self):
        return self.images.shape[0]


def _lab(path):
    if not os.path.exists(path):
        raise FileNotFoundError("%s not found: this export has no dataset file (the lab includes built-in and "
                                "uploaded datasets); use --data cifar10, cifar100 or imagefolder --data-dir DIR" % path)
    t = load_file(path)
    return Split(t["train.images"], t["train.labels"]), Split(t["test.images"], t["test.labels"])


def _cifar(kind, root, download):
    try:
        import torchvision
    except ImportError as e:
        raise ImportError("--data %s needs torchvision (pip install torchvision, or apt-get install python3-torchvision)" % kind) from e
    cls = torchvision.datasets.CIFAR10 if kind == "cifar10" else torchvision.datasets.CIFAR100
    out = []
    for train in (True, False):
        try:
            ds = cls(root, train=train, download=download)
        except RuntimeError as e:
            raise RuntimeError("%s (%s): add --download to fetch it into --data-dir %s" % (kind, e, root)) from e
        images = torch.as_tensor(ds.data).permute(0, 3, 1, 2).contiguous()
        out.append(Split(images, torch.as_tensor(ds.targets)))
    return out[0], out[1]


def _folder(root, channels, size):
    try:
        import torchvision
        from torchvision import transforms
    except ImportError as e:
        raise ImportError("--data imagefolder needs torchvision and Pillow") from e
    mode = "L" if channels == 1 else "RGB"
    tf = transforms.Compose([transforms.Lambda(lambda im: im.convert(mode)), transforms.Resize((size, size)), transforms.PILToTensor()])
    out, classes = [], None
    for part in ("train", "test"):
        d = os.path.join(root, part)
        if not os.path.isdir(d):
            raise FileNotFoundError("image folder %s needs %s/<class>/<image> for both train and test" % (root, d))
        ds = torchvision.datasets.ImageFolder(d, transform=tf)
        if classes is not None and ds.classes != classes:
            raise ValueError("train classes %s differ from test classes %s" % (classes, ds.classes))
        classes = ds.classes
        images = torch.stack([ds[i][0] for i in range(len(ds))])
        out.append(Split(images, torch.tensor(ds.targets)))
    return out[0], out[1]


def _tiny_imagenet(root):
    """The tiny-imagenet-200 folder as downloaded: classes are the sorted ids of wnids.txt
    (as the lab orders them), train/<wnid>/images/*.JPEG the training split, val/images
    labelled by val/val_annotations.txt the test split."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("--data tinyimagenet needs Pillow (pip install pillow, or apt-get install python3-pil)") from e
    wnids_file = os.path.join(root, "wnids.txt")
    if not os.path.exists(wnids_file):
        raise FileNotFoundError("%s not found: --data-dir must be the unzipped tiny-imagenet-200 folder "
                                "(http://cs231n.stanford.edu/tiny-imagenet-200.zip)" % wnids_file)
    with open(wnids_file) as f:
        wnids = sorted({line.strip() for line in f if line.strip()})
    label = {w: i for i, w in enumerate(wnids)}

    def read(paths_labels):
        images = torch.empty((len(paths_labels), 3, 64, 64), dtype=torch.uint8)
        for i, (path, _) in enumerate(paths_labels):
            with Image.open(path) as im:
                rgb = im.convert("RGB")
                if rgb.size != (64, 64):
                    rgb = rgb.resize((64, 64))
                images[i] = torch.frombuffer(bytearray(rgb.tobytes()), dtype=torch.uint8).reshape(64, 64, 3).permute(2, 0, 1)
        return Split(images, torch.tensor([l for _, l in paths_labels]))

    train = []
    for w in wnids:
        d = os.path.join(root, "train", w, "images")
        if not os.path.isdir(d):
            raise FileNotFoundError("class %s of wnids.txt has no folder %s" % (w, d))
        train += [(os.path.join(d, n), label[w]) for n in sorted(os.listdir(d))]
    test = []
    with open(os.path.join(root, "val", "val_annotations.txt")) as f:
        for n, line in enumerate(f, 1):
            parts = line.split("\t")
            if len(parts) < 2 or parts[1] not in label:
                raise ValueError("val_annotations.txt line %d names no class of wnids.txt: %r" % (n, line.strip()))
            test.append((os.path.join(root, "val", "images", parts[0]), label[parts[1]]))
    return read(train), read(test)


def source_for(kind, dataset, export_dir):
    """--data auto: the lab's exported images if the export has them, else the public
    benchmark the experiment names (cifar10, cifar100, tiny-imagenet)."""
    if kind != "auto":
        return kind
    if os.path.exists(os.path.join(export_dir, "data", "dataset.safetensors")):
        return "lab"
    if dataset.get("standard"):
        return dataset["standard"]
    return "lab"


def load(kind, data_dir, export_dir, shape, download=False):
    """(train, test) Splits. `shape` = (channels, size, classes) the model expects; a
    dataset that does not fit raises with what to change."""
    if kind == "lab":
        train, test = _lab(os.path.join(export_dir, "data", "dataset.safetensors"))
    elif kind in ("cifar10", "cifar100"):
        train, test = _cifar(kind, data_dir or "data", download)
    elif kind == "tinyimagenet":
        train, test = _tiny_imagenet(data_dir or os.path.join("data", "tiny-imagenet-200"))
    elif kind == "imagefolder":
        if not data_dir:
            raise ValueError("--data imagefolder needs --data-dir DIR (with DIR/train and DIR/test)")
        train, test = _folder(data_dir, shape[0], shape[1])
    else:
        raise ValueError("unknown --data %r (auto, lab, cifar10, cifar100, tinyimagenet, imagefolder)" % kind)
    c, h, w = train.images.shape[1:]
    classes = int(max(train.labels.max(), test.labels.max())) + 1
    if (c, h) != tuple(shape[:2]) or h != w or classes > shape[2]:
        raise ValueError("the model expects %dx%dx%d images and %d classes, the dataset has %dx%dx%d and %d classes; "
                         "use --init fresh to build the model for this dataset" % (shape[0], shape[1], shape[1], shape[2], c, h, w, classes))
    return train, test


def channel_stats(split):
    """Per-channel mean and std on the 0..1 scale (population std, at least one pixel
    level so a constant channel does not divide by zero), as the lab computes."""
    x = split.images.double()
    mean = x.mean(dim=(0, 2, 3))
    var = (x * x).mean(dim=(0, 2, 3)) - mean * mean
    return (mean / 255).tolist(), (var.clamp(min=0).sqrt().clamp(min=1) / 255).tolist()


class Batches:
    """The lab's batch order: a seeded permutation per epoch, full batches only; the
    global batch is sliced by rank."""

    def __init__(self, split, batch_size, seed, normalize, shuffle, augment=None, rank=0, world=1):
        if batch_size % world:
            raise ValueError("batch size %d does not split over %d processes; use a multiple of %d" % (batch_size, world, world))
        if batch_size > len(split):
            raise ValueError("batch size %d exceeds the %d images of the split" % (batch_size, len(split)))
        self.split, self.batch, self.seed, self.shuffle, self.augment = split, batch_size, seed, shuffle, augment
        self.rank, self.world = rank, world
        self.per_epoch = len(split) // batch_size
        self.mean = torch.tensor(normalize[0]).view(1, -1, 1, 1)
        self.std = torch.tensor(normalize[1]).view(1, -1, 1, 1)
        self._order = (None, None)

    def order(self, epoch):
        if self._order[0] != epoch:
            n = len(self.split)
            perm = torch.randperm(n, generator=torch.Generator().manual_seed(self.seed * 100003 + epoch)) if self.shuffle else torch.arange(n)
            self._order = (epoch, perm)
        return self._order[1]

    def get(self, index):
        """Batch `index` (0-based over all epochs): (x float32 normalised, labels, epoch)."""
        x, y, epoch = self._global(index)
        lo, hi = self._slice()
        return self._normalise(x[lo:hi]), y[lo:hi], epoch

    def get_mixed(self, index, alpha):
        """Batch `index` mixed by mixup.py (the global batch, then this rank's slice):
        (x, labels, second labels, lam, epoch); the loss is mixup.loss(logits, labels, second, lam)."""
        x, y, epoch = self._global(index)
        lam, perm = mixup.draw(self.seed, index, len(y), alpha)
        x, y_a, y_b = mixup.mix(self._normalise(x), y, lam, perm)
        lo, hi = self._slice()
        return x[lo:hi], y_a[lo:hi], y_b[lo:hi], lam, epoch

    def _global(self, index):
        epoch, i = divmod(index, self.per_epoch)
        idx = self.order(epoch)[i * self.batch:(i + 1) * self.batch]
        x = self.split.images[idx]
        if self.augment:
            x = augment(x, self.augment, torch.Generator().manual_seed(self.seed * 7919 + index))
        return x, self.split.labels[idx], epoch

    def _slice(self):
        per = self.batch // self.world
        return self.rank * per, (self.rank + 1) * per

    def _normalise(self, x):
        return (x.float() / 255 - self.mean) / self.std


def augment(x, opts, gen):
    """Zero-pad by cropPad and crop back at a random offset, then flip half the images."""
    n, c, h, w = x.shape
    pad = int(opts.get("cropPad", 0))
    if pad > 0:
        padded = torch.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=x.dtype)
        padded[:, :, pad:pad + h, pad:pad + w] = x
        offs = torch.randint(0, 2 * pad + 1, (n, 2), generator=gen)
        x = torch.stack([padded[k, :, oy:oy + h, ox:ox + w] for k, (ox, oy) in enumerate(offs.tolist())])
    if opts.get("flip"):
        flip = torch.rand(n, generator=gen) < 0.5
        x = torch.where(flip.view(n, 1, 1, 1), x.flip(3), x)
    return x
