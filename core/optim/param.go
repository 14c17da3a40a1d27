package optim

// Param is one learnable tensor of a model, seen by optimisers and checkpoints.
type Param struct {
	Name  string    // timm-style name, e.g. "blocks.3.attn.qkv.weight"
	Shape []int     // PyTorch layout: Linear weights are [out, in]; conv patch weight [D,3,P,P]
	Value []float32 // live backing storage of the model's tensor (optimisers update it in place)
	Grad  []float32 // gradient of the last step, same length as Value
	Train bool      // false for frozen parameters (no update)
	Decay bool      // weight decay applies (false for biases and all 1-D parameters)
}
