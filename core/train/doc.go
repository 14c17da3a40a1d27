// Package train owns the training loop of AnomalyNCD's classifier (the
// reference's MGRL stage) around any model that satisfies [StepModel]
// (*mgvit.Model does): for each epoch it draws the balanced sampler order,
// cuts it into batches, makes two augmented views per sample, runs the
// model's TrainStep, applies SGD with the cosine learning rate of the epoch,
// averages the losses and writes an atomic checkpoint. A run that is
// resumed from its last checkpoint ends with exactly the weights of an
// uninterrupted run, because every random draw is derived from
// (seed, epoch, sample position, view) and the checkpoint holds parameters,
// momentum buffers, epoch and step. With Config.EMATeacher the
// self-distillation targets come from an exponential moving average of the
// model (DINO's teacher) updated after every optimiser step; its parameters
// are in the checkpoint too (under "teacher/").
//
// After the last epoch the head with the smallest mean cluster loss over the
// final epoch's batches is chosen (ties: the last tied head, as the
// reference's returned dict), every unlabeled crop is run through Infer on
// its test view, and the chosen head's logits and the features are written
// (see [Predictions]).
//
// [NewDiagnostics] describes whether a run learned (written by the study's
// train stage as [DiagnosticsFile]): the spread and k-means NMI of the crop
// features before and after fine-tuning, the chosen head's NMI, and k-means
// on the crops' training-free filter-bank features ([FilterBankFeatures]),
// the prior the backbone should beat.
//
// Crops are decoded once per run and kept in memory within a budget; item
// paths may be relative to [Options.Root], and are recorded as given, so a
// run over a relocatable folder writes the same bytes wherever it is.
//
// Files under the output folder (see [Run]); none holds a timing, so the
// same run always writes the same bytes (images/s goes to the log line):
//
//	checkpoint.safetensors  training state after the last completed epoch
//	metrics.jsonl           one JSON line per epoch (losses, lr, τ, batches)
//	predictions.json        chosen head, per-head cluster losses, per-crop logits
//	features.safetensors    "features" [N,D] and "logits" [N,C] in crop order
package train
