// Package experiments turns YAML configuration into work for a runner.
//
// It owns four things:
//
//   - the typed configuration of the method (Config and its sections), loaded
//     strictly with viper from layers base.yaml < profile < experiment file <
//     key.path=value overrides (Load), and checked by Validate;
//   - sweep files (Sweep): a base experiment plus axes (grid products, explicit
//     points, paired "zip" axes) and a seeds axis whose replicates are averaged
//     into mean ± std (Aggregate);
//   - stages (Stage): a named, versioned step of the pipeline that reads only
//     some config sections and the outputs of its input stages; its content key
//     is sha256(name, version, canonical JSON of those sections, input keys), so
//     two sweep points that agree on everything a stage sees share its output;
//   - planning (PlanStudy) of all points of a sweep into one deduplicated
//     runners.Plan, and an Executor that runs a task by calling the registered
//     implementation of its stage and storing the output in a results.Store.
//
// The package knows nothing about what a stage computes: implementations are
// plain functions registered by name (Registry).
package experiments
