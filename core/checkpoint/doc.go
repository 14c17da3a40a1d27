// Package checkpoint owns the files that hold tensors: the safetensors
// format (write: sorted names, 8-byte aligned header, deterministic bytes;
// read: via github.com/nlpodyssey/safetensors, F32/F64/F16/BF16 accepted),
// the training checkpoint (parameters, momentum buffers, epoch, step, seed
// and config hash) and the loading of pretrained DINO ViT weights in timm or
// Hugging Face naming into a model's parameters.
//
// All writes are atomic (internal/atomicfile).
package checkpoint
