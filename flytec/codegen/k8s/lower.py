"""Lowering a plan to Argo steps: which nodes become pods, what each one is passed.

Static plans become a DAG (see docs/kubernetes.md, "From plan to DAG"):

* a ``task`` node is a DAG task running the task's container template; a fan-out's single
  body task gets ``withParam`` over the fan-out's list; a ``map`` node too, wrapped in a small
  DAG template with ``parallelism`` when it has a ``concurrency``;
* ``branch`` and ``trace`` nodes are *driver steps*: the worker evaluates the condition (its
  output parameter ``arm`` says which arm runs) or calls the traced function; nodes inside an
  arm depend on ``<branch>.Succeeded`` and carry ``when: '<arm>' == '<this arm>'``;
* ``glue`` and ``merge`` nodes are folded: the worker computes them, with the real Python
  types, wherever their value is needed; a glue node run for its side effects (``effect``:
  ``print``, ``assert``, a call...) is a driver step of its own, ordered by ``depends`` like
  the calls around it (a plan where later steps also read its value is a driver pod: folding
  would run the effect again). A task input that is computed this way gets an
  *arguments step* (``<task>-args``) in front of the task; workflow outputs that are computed
  get a final ``outputs`` step.

Every value a step passes on is an output parameter and, unless it must stay one, also an
optional output artifact; consumers get both (:mod:`flytec.codegen.k8s.artifacts`).

Plans that are dynamic, or use nodes without an Argo form yet (``try``, ``raise``, ``loop``,
``call``, ``remote``, overrides, fan-outs whose body is more than one task, fan-outs over or
of File/Dir/DataFrame values), become a *driver* workflow: one pod runs the task body and its
sub-tasks in-process (:mod:`flytec.codegen.k8s.driver`). :class:`PlanView` holds the checks.
"""

from __future__ import annotations

from collections.abc import Mapping

from flytec.codegen.k8s import artifacts as art
from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.driver import (
    code_version,
    config_map_name,
    driver_spec,
    memo_key,
    parameters_of,
)
from flytec.codegen.k8s.model import ContainerTemplate, DagTask, DagTemplate, WorkflowSpec
from flytec.codegen.k8s.names import UniqueNames, label
from flytec.codegen.k8s.options import OUTPUTS_DIR, PLAN_FILE, EmitOptions
from flytec.codegen.k8s.plan_view import (
    OVER,
    Key,
    PlanView,
    Unsupported,
    common_prefix,
    is_effect,
    is_prefix,
)
from flytec.model.engine_escape import has_engine_syntax, json_text
from flytec.model.plan import Binding, ConstRef, ErrorRef, InputRef, ItemRef, Node, NodeRef, Plan

__all__ = ["Unsupported", "lower"]


def lower(plan: Plan, plans: Mapping[str, Plan], options: EmitOptions) -> WorkflowSpec:
    """The Argo form of a plan: a static DAG when possible, else a driver pod."""
    if plan.kind == "workflow":
        try:
            return _Static(plan, plans, options).build()
        except Unsupported as e:
            return driver_spec(plan, plans, options, [str(e)])
    return driver_spec(plan, plans, options, [])


class _Static(PlanView):
    """The DAG of a static plan (raises :class:`Unsupported` when it has none)."""

    def __init__(self, plan: Plan, plans: Mapping[str, Plan], options: EmitOptions) -> None:
        super().__init__(plan, plans)
        self.options = options
        self.task_names = UniqueNames(60)
        self.template_names = UniqueNames(60)
        self.entry = self.template_names.get("@entry", plan.task)
        self.steps: dict[str, str] = {}  # node id -> DAG task name
        self.tasks: list[DagTask] = []
        self.containers: list[ContainerTemplate] = []
        self.dags: list[DagTemplate] = []
        self._task_templates: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}
        self._by_name: dict[str, ContainerTemplate] = {}

    def direct(self, b: Binding, consumer: Node) -> str | None:
        """The Argo value of a binding, when no computing is needed."""
        if isinstance(b, ConstRef):
            return json_text(b.value)
        if isinstance(b, ErrorRef) or b.index:
            return None
        if isinstance(b, InputRef):
            return f"{{{{workflow.parameters.{b.name}}}}}"
        if isinstance(b, ItemRef):
            return "{{item}}" if b.node == consumer.parent else None
        if isinstance(b, NodeRef):
            ref = self.step_ref(b.node, b.output)
            if ref is None or not is_prefix(self.cond(ref[0]), self.cond(consumer.id)):
                return None
            return f"{{{{tasks.{self.steps[ref[0]]}.outputs.parameters.{ref[1]}}}}}"
        return None

    def direct_artifact(self, b: Binding, consumer: Node) -> str | None:
        """The artifact that may hold a directly passed step output (``from`` reference)."""
        if not isinstance(b, NodeRef) or b.index:
            return None
        ref = self.step_ref(b.node, b.output)
        if ref is None or not self.may_spill(*ref):
            return None
        if not is_prefix(self.cond(ref[0]), self.cond(consumer.id)):
            return None
        return art.from_step(self.steps[ref[0]], ref[1])

    def key_ref(self, key: Key, consumer: str | None) -> tuple[str, bool]:
        """The Argo reference to a value for a driver step, and whether it is guarded."""
        if key[0] == "input":
            return f"{{{{workflow.parameters.{key[1]}}}}}", False
        step = self.steps[key[1]]
        mine = self.cond(consumer) if consumer is not None else []
        theirs = self.cond(key[1])
        if is_prefix(theirs, mine):
            return f"{{{{tasks.{step}.outputs.parameters.{key[2]}}}}}", False
        extra = theirs[len(common_prefix(theirs, mine)):]
        guard = " && ".join(
            f"tasks['{self.steps[b]}'].outputs.parameters['arm'] == '{arm}'" for b, arm in extra
        )
        return (f"{{{{=({guard}) ? tasks['{step}'].outputs.parameters['{key[2]}'] : 'null'}}}}",
                True)

    def depends(self, keys: set[Key], node_id: str | None) -> tuple[str | None, str | None]:
        """``depends`` and ``when`` of a step that uses ``keys`` (and runs in its node's arm)."""
        terms: dict[str, str] = {}
        for key in sorted(keys):
            if key[0] == "input":
                continue
            step = self.steps[key[1]]
            _, guarded = self.key_ref(key, node_id)
            term = f"({step}.Succeeded || {step}.Skipped || {step}.Omitted)" if guarded else step
            if terms.get(step, term) != term:
                term = step
            terms[step] = term
        when = None
        mine = self.cond(node_id) if node_id is not None else []
        if mine:
            branch, arm = mine[-1]
            step = self.steps[branch]
            terms[step] = f"{step}.Succeeded"
            when = f"'{{{{tasks.{step}.outputs.parameters.arm}}}}' == '{arm}'"
        depends = " && ".join(terms[s] for s in sorted(terms)) or None
        return depends, when

    def driver_template(self, node_id: str, hint: str, keys: set[Key], extra_args: list[str],
                        outputs: list[str]) -> tuple[str, DagTask]:
        """A container template running the worker on one node, and the DAG task running it
        (name, arguments and artifacts set; the caller adds ``depends`` and ``when``)."""
        name = self.template_names.get(f"driver:{node_id}:{hint}", hint)
        args = ["--plan", PLAN_FILE, "--node", node_id, "--outputs", OUTPUTS_DIR, *extra_args]
        params: list[str] = []
        task = DagTask(name="", template=name)
        art_inputs: list[str] = []
        consumer = node_id if node_id in self.nodes else None
        for i, key in enumerate(sorted(k for k in keys if k[0] != "after")):
            p = f"v{i}"
            params.append(p)
            ref, _ = self.key_ref(key, consumer)
            task.arguments.append((p, ref))
            if key[0] == "input":
                args += ["--input", f"{key[1]}={{{{inputs.parameters.{p}}}}}"]
                continue
            args += ["--value", f"{key[1]}.{key[2]}={{{{inputs.parameters.{p}}}}}"]
            if self.may_spill(key[1], key[2]):
                # plain ``from`` even when the step may be skipped: Argo leaves an optional
                # artifact of a skipped step out, and the parameter is then 'null'
                task.artifacts.append((p, art.from_step(self.steps[key[1]], key[2])))
                art_inputs.append(p)
                args += art.input_args(f"{key[1]}.{key[2]}", p)
        types = {o.name: o.checked_type or o.type for o in self.plan.outputs}
        spill = [o for o in outputs if o not in ("arm", OVER) and not (
            node_id == "@outputs" and art.scalar_type(types.get(o)))]
        args += art.output_args(spill)
        self.containers.append(ContainerTemplate(
            name=name, environment=self.plan.environment, args=args, inputs=params,
            outputs=outputs, artifact_inputs=art_inputs, artifact_outputs=spill,
            task_settings=False,
        ))
        return name, task

    def task_template(self, task: str, inputs: list[str], outputs: list[str],
                      spill: list[str], art_inputs: list[str]) -> str:
        """The container template of a task (shared by the calls that bind the same inputs and
        may spill the same outputs); ``art_inputs`` are added to it if it lacks them."""
        sig = (task, tuple(inputs), tuple(spill))
        name = self._task_templates.get(sig)
        if name is None:
            callee = self.plan.callees[task]
            env = callee.environment
            name = self.template_names.get(f"task:{task}:{','.join(inputs)}:{','.join(spill)}",
                                           task)
            args = ["--plan", PLAN_FILE, "--task", task, "--outputs", OUTPUTS_DIR]
            for p in inputs:
                args += ["--input", f"{p}={{{{inputs.parameters.{p}}}}}"]
            args += art.output_args(spill)
            version = code_version(task, env, self.plans, self.plan.source.code_hash)
            annotations = {}
            _, accel = ctr.gpu_of(env)
            if accel:
                annotations[ctr.ACCELERATOR_ANNOTATION] = accel
            tmpl = ContainerTemplate(
                name=name, environment=env, args=args, inputs=list(inputs), outputs=outputs,
                artifact_outputs=list(spill), memoize_key=memo_key(task, env, inputs, version),
                annotations=annotations,
            )
            self.containers.append(tmpl)
            self._task_templates[sig] = name
            self._by_name[name] = tmpl
        tmpl = self._by_name[name]
        for p in art_inputs:
            if p not in tmpl.artifact_inputs:
                tmpl.artifact_inputs.append(p)
                tmpl.args += art.input_args(p, p)
        return name

    def add_task_step(self, n: Node) -> None:
        assert n.task is not None
        name = self.steps[n.id]
        parent = self.nodes.get(n.parent) if n.parent else None
        fanout = parent if parent is not None and parent.kind == "fanout" else None
        over: Binding | None = None
        item_param: str | None = None
        if n.kind == "map":
            over = self.over_of(n)
            item_param = (n.item_inputs or [""])[0]
        elif fanout is not None:
            over = self.over_of(fanout)
        values: dict[str, str] = {}
        artifacts: dict[str, str] = {}
        computed: list[str] = []
        direct_keys: set[Key] = set()
        for p, b in n.inputs.items():
            v = self.direct(b, n)
            if v is None:
                computed.append(p)
                continue
            values[p] = v
            direct_keys |= self._direct_keys(b)
            a = self.direct_artifact(b, n)
            if a is not None:
                artifacts[p] = a
        over_ref: str | None = None
        if over is not None:
            self.check_items(over)
            over_ref = self.direct(over, fanout or n)
            if over_ref is None:
                computed.append(OVER)
            else:
                direct_keys |= self._direct_keys(over)
        direct_keys |= self.order_needs(n)
        dep, when = self.depends(direct_keys, n.id)
        if computed:
            args_step = self.add_args_step(n, computed, over)
            for p in computed:
                ref = f"{{{{tasks.{args_step}.outputs.parameters.{p}}}}}"
                if p == OVER:
                    over_ref = ref
                else:
                    values[p] = ref
                    artifacts[p] = art.from_step(args_step, p)
            dep = f"{dep} && {args_step}" if dep else args_step
        inputs = list(n.inputs)
        if item_param is not None:
            inputs = [item_param, *[p for p in inputs if p != item_param]]
            values[item_param] = "{{item}}"
            artifacts.pop(item_param, None)
        outputs = list(n.outputs) or ["o0"]
        spill = [o for o in outputs if self.may_spill(n.id, o)]
        tmpl = self.task_template(n.task, inputs, outputs, spill,
                                  [p for p in inputs if p in artifacts])
        task = DagTask(name=name, template=tmpl, arguments=[(p, values[p]) for p in inputs],
                       artifacts=[(p, artifacts[p]) for p in inputs if p in artifacts],
                       depends=dep, when=when, with_param=over_ref)
        concurrency = n.concurrency if isinstance(n.concurrency, int) else 0
        if n.kind == "map" and concurrency > 0:
            assert over_ref is not None and item_param is not None
            task = self.map_dag(n, task, item_param, outputs, concurrency)
        self.tasks.append(task)

    def check_items(self, over: Binding) -> None:
        """Argo decodes a ``withParam`` list and hands each item to ``{{item}}`` as it is, so
        an item with ``{{``, ``$(`` or ``$$`` would reach its substitution (and the kubelet)
        unescaped: such a list, written in the code, runs in a driver pod instead."""
        value: object = None
        if isinstance(over, ConstRef):
            value = over.value
        elif isinstance(over, InputRef):
            value = next((i.default for i in self.plan.inputs
                          if i.name == over.name and not i.required), None)
        if has_engine_syntax(value):
            raise Unsupported("a fan-out over items holding `{{`, `$(` or `$$` (Argo's "
                              "withParam would hand them to its substitution unescaped)")

    def add_args_step(self, n: Node, computed: list[str], over: Binding | None) -> str:
        """The driver step computing the inputs ``computed`` of task node ``n``."""
        args_step = self.task_names.get(f"args:{n.id}", f"{n.id}-args")
        arg_keys = self.needs_only(n, computed, over)
        _, task = self.driver_template(
            n.id, f"{n.id}-args", arg_keys,
            [a for p in computed for a in ("--binding", p)], computed)
        task.name = args_step
        task.depends, task.when = self.depends(arg_keys, n.id)
        self.tasks.append(task)
        return args_step

    def map_dag(self, n: Node, task: DagTask, item_param: str, outputs: list[str],
                concurrency: int) -> DagTask:
        """``flyte.map(concurrency=N)``: the items run in a DAG template of their own, with
        ``parallelism``; returns the outer DAG task running it."""
        inner = self.template_names.get(f"map:{n.id}", f"{n.id}-map")
        params = [p for p, _ in task.arguments]
        passed = [p for p, _ in task.artifacts]
        self.dags.append(DagTemplate(
            name=inner,
            inputs=["items", *[p for p in params if p != item_param]],
            artifact_inputs=passed,
            parallelism=concurrency,
            tasks=[DagTask(
                name="item", template=task.template,
                arguments=[(p, "{{item}}" if p == item_param else f"{{{{inputs.parameters.{p}}}}}")
                           for p in params],
                artifacts=[(p, art.from_input(p)) for p in passed],
                with_param="{{inputs.parameters.items}}")],
            outputs=[(o, f"{{{{tasks.item.outputs.parameters.{o}}}}}") for o in outputs],
        ))
        assert task.with_param is not None
        return DagTask(
            name=task.name, template=inner,
            arguments=[("items", task.with_param),
                       *[(p, v) for p, v in task.arguments if p != item_param]],
            artifacts=task.artifacts, depends=task.depends, when=task.when)

    def needs_only(self, n: Node, computed: list[str], over: Binding | None) -> set[Key]:
        keys: set[Key] = set()
        for p in computed:
            keys |= self.needs(over if p == OVER else n.inputs[p])
        return keys

    def _direct_keys(self, b: Binding) -> set[Key]:
        if isinstance(b, NodeRef):
            ref = self.step_ref(b.node, b.output)
            if ref is not None:
                return {("node", ref[0], ref[1])}
        return set()

    def add_driver_step(self, n: Node) -> None:
        keys: set[Key] = set()
        for b in n.inputs.values():
            keys |= self.needs(b)
        keys |= self.order_needs(n)
        outputs = ["arm"] if n.kind == "branch" else [] if is_effect(n) else (
            list(n.outputs) or ["o0"])
        _, task = self.driver_template(n.id, n.id, keys, [], outputs)
        task.name = self.steps[n.id]
        task.depends, task.when = self.depends(keys, n.id)
        self.tasks.append(task)

    def outputs(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The entry template's output parameters and (optional) artifacts."""
        refs: list[tuple[str, str]] = []
        arts: list[tuple[str, str]] = []
        for o in self.plan.outputs:
            ref = None
            if isinstance(o.source, NodeRef) and not o.source.index:
                s = self.step_ref(o.source.node, o.source.output)
                if s is not None and not self.cond(s[0]):
                    ref = f"{{{{tasks.{self.steps[s[0]]}.outputs.parameters.{s[1]}}}}}"
                    if self.may_spill(*s):
                        arts.append((o.name, art.from_step(self.steps[s[0]], s[1])))
            if ref is None:
                break
            refs.append((o.name, ref))
        else:
            return refs, arts
        keys: set[Key] = set()
        for o in self.plan.outputs:
            keys |= self.needs(o.source)
        names = [o.name for o in self.plan.outputs]
        step = self.task_names.get("@outputs", "outputs")
        tmpl, task = self.driver_template("@outputs", "outputs", keys, [], names)
        task.name = step
        task.depends, _ = self.depends(keys, None)
        self.tasks.append(task)
        spilled = next(c for c in self.containers if c.name == tmpl).artifact_outputs
        return ([(o, f"{{{{tasks.{step}.outputs.parameters.{o}}}}}") for o in names],
                [(o, art.from_step(step, o)) for o in spilled])

    def build(self) -> WorkflowSpec:
        self.check()
        self.check_effects()
        self.check_artifacts()
        for n in self.plan.nodes:
            if self.is_step(n):
                self.steps[n.id] = self.task_names.get(n.id)
        self.task_names = _Reserved(self.task_names)
        for n in self.plan.nodes:
            if n.kind in ("task", "map"):
                self.add_task_step(n)
            elif self.is_step(n):
                self.add_driver_step(n)
        outs, arts = self.outputs()
        entry = DagTemplate(name=self.entry, tasks=self.tasks, outputs=outs,
                            artifact_outputs=arts)
        return WorkflowSpec(
            name=label(self.plan.task),
            task=self.plan.task,
            entrypoint=self.entry,
            parameters=parameters_of(self.plan),
            dags=[entry, *self.dags],
            containers=self.containers,
            config_map=config_map_name(self.plan),
            mode="static",
            service_account=ctr.service_account_of(self.plan.environment, self.options),
        )



class _Reserved(UniqueNames):
    """Step names handed out so far stay taken; later names (args, outputs) avoid them."""

    def __init__(self, base: UniqueNames) -> None:
        super().__init__(base.max_len)
        self._used = set(base._used)
        self._given = dict(base._given)
