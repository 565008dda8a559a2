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

Plans that are dynamic, or use nodes without an Argo form yet (``try``, ``raise``, ``loop``,
``call``, ``remote``, overrides, fan-outs whose body is more than one task), become a
*driver* workflow: one pod runs the task body and its sub-tasks in-process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.model import ContainerTemplate, DagTask, DagTemplate, WorkflowSpec
from flytec.codegen.k8s.names import UniqueNames, label
from flytec.codegen.k8s.options import OUTPUTS_DIR, PLAN_FILE, EmitOptions
from flytec.codegen.plan.assemble import plan_to_json
from flytec.model.plan import (
    Binding,
    ConstRef,
    Environment,
    ErrorRef,
    InputRef,
    ItemRef,
    Node,
    NodeRef,
    Plan,
)

# ("input", name, "") | ("node", step node id, output) | ("after", step node id, ""): the
# last one only orders (``depends``), no value is passed
Key = tuple[str, str, str]
Cond = tuple[str, str]  # (branch node id, arm)

UNSUPPORTED_KINDS = ("try", "raise", "loop", "call", "remote")
OVER = "over-items"
#: Argo memoize entries never expire unless the cache ConfigMap is cleared (Flyte has no age)
MEMO_MAX_AGE = "87600h"
MEMO_CONFIGMAP = "flytec-cache"


class Unsupported(Exception):
    """The plan has no static Argo form (yet): it runs as a driver pod instead."""


def config_map_name(plan: Plan) -> str:
    """``flytec-plan-<task>-<hash>``: a new name for every new plan, so runs never mix."""
    # the canonical plan text: optional fields a plan does not use leave the name unchanged
    digest = hashlib.sha256(plan_to_json(plan).encode()).hexdigest()[:10]
    return label(f"flytec-plan-{plan.task}", 63 - 11) + "-" + digest


def lower(plan: Plan, plans: Mapping[str, Plan], options: EmitOptions) -> WorkflowSpec:
    """The Argo form of a plan: a static DAG when possible, else a driver pod."""
    if plan.kind == "workflow":
        try:
            return _Static(plan, plans, options).build()
        except Unsupported as e:
            return driver_spec(plan, plans, options, [str(e)])
    return driver_spec(plan, plans, options, [])


def _version(task: str, env: Environment, plans: Mapping[str, Plan], fallback: str) -> str:
    v = env.cache.get("version_override")
    if isinstance(v, str) and v:
        return v
    p = plans.get(task)
    return p.source.code_hash if p is not None else fallback


def memo_key(task: str, env: Environment, inputs: list[str], version: str) -> str | None:
    """``cache="auto"``: a hash of the task, its code version, the salt and its inputs."""
    if not ctr.caches(env):
        return None
    ignored = env.cache.get("ignored_inputs") or []
    salt = env.cache.get("salt")
    head = json.dumps(f"{task}|{version}|{salt if isinstance(salt, str) else ''}")
    head = "'" + head[1:-1].replace("\\\"", '"').replace("'", "\\'") + "'"
    parts = [head] + [
        f"'|{p}=' + inputs.parameters['{p}']" for p in inputs if p not in ignored
    ]
    return "flytec-{{=sprig.sha256sum(" + " + ".join(parts) + ")}}"


def driver_spec(
    plan: Plan, plans: Mapping[str, Plan], options: EmitOptions, reasons: list[str]
) -> WorkflowSpec:
    """One container runs the whole task in-process (Flyte 1's ``@dynamic``)."""
    name = label(plan.task)
    inputs = [i.name for i in plan.inputs]
    args = ["--plan", PLAN_FILE, "--task", plan.task, "--outputs", OUTPUTS_DIR]
    for i in inputs:
        args += ["--input", f"{i}={{{{inputs.parameters.{i}}}}}"]
    version = _version(plan.task, plan.environment, plans, plan.source.code_hash)
    _, accel = ctr.gpu_of(plan.environment)
    tmpl = ContainerTemplate(
        name=name,
        environment=plan.environment,
        args=args,
        inputs=inputs,
        outputs=[o.name for o in plan.outputs],
        memoize_key=memo_key(plan.task, plan.environment, inputs, version),
        annotations={ctr.ACCELERATOR_ANNOTATION: accel} if accel else {},
    )
    entry = DagTemplate(
        name=label(f"{plan.task}-run") if name != "run" else "run-task",
        tasks=[DagTask(name=name, template=name,
                       arguments=[(i, f"{{{{workflow.parameters.{i}}}}}") for i in inputs])],
        outputs=[(o.name, f"{{{{tasks.{name}.outputs.parameters.{o.name}}}}}")
                 for o in plan.outputs],
    )
    return WorkflowSpec(
        name=label(plan.task),
        task=plan.task,
        entrypoint=entry.name,
        parameters=_parameters(plan),
        dags=[entry],
        containers=[tmpl],
        config_map=config_map_name(plan),
        mode="driver",
        reasons=reasons,
        service_account=ctr.service_account_of(plan.environment, options),
    )


def _parameters(plan: Plan) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for i in plan.inputs:
        out.append((i.name, None if i.required else json.dumps(i.default)))
    return out


class _Static:
    """The DAG of a static plan (raises :class:`Unsupported` when it has none)."""

    def __init__(self, plan: Plan, plans: Mapping[str, Plan], options: EmitOptions) -> None:
        self.plan = plan
        self.plans = plans
        self.options = options
        self.nodes = {n.id: n for n in plan.nodes}
        self.children: dict[str, list[Node]] = {}
        for n in plan.nodes:
            if n.parent is not None:
                self.children.setdefault(n.parent, []).append(n)
        self.task_names = UniqueNames(60)
        self.template_names = UniqueNames(60)
        self.entry = self.template_names.get("@entry", plan.task)
        self.steps: dict[str, str] = {}  # node id -> DAG task name
        self.tasks: list[DagTask] = []
        self.containers: list[ContainerTemplate] = []
        self.dags: list[DagTemplate] = []
        self._task_templates: dict[tuple[str, tuple[str, ...]], str] = {}

    # ------------------------------------------------------------------------ checks
    def check(self) -> None:
        plan = self.plan
        if not plan.static:
            why = "; ".join(r.message for r in plan.dynamic_reasons) or "the plan is dynamic"
            raise Unsupported(f"dynamic: {why}")
        for n in plan.nodes:
            if n.kind in UNSUPPORTED_KINDS:
                raise Unsupported(f"node `{n.id}` ({n.kind}) has no Argo form yet")
            if n.dynamic:
                raise Unsupported(f"node `{n.id}` is dynamic")
            if n.override:
                raise Unsupported(f"node `{n.id}`: task overrides are not lowered yet")
            if n.kind in ("task", "map") and (n.task is None or n.task not in plan.callees):
                raise Unsupported(f"node `{n.id}` calls a task the plan does not describe")
            parent = self.nodes.get(n.parent) if n.parent else None
            if parent is not None and parent.kind not in ("branch", "fanout"):
                raise Unsupported(f"node `{n.id}` is inside a `{parent.kind}` node")
            if n.kind == "fanout":
                body = self.children.get(n.id, [])
                if len(body) != 1 or body[0].kind != "task" or isinstance(n.over, list):
                    raise Unsupported(f"fan-out `{n.id}`: only a single task per item is lowered")
                for b in (n.collect or {}).values():
                    if not isinstance(b, NodeRef) or b.node != body[0].id or b.index:
                        raise Unsupported(f"fan-out `{n.id}` collects something else than its task")
            if n.kind == "map":
                over = n.over if isinstance(n.over, list) else [n.over]
                if len(over) != 1 or over[0] is None or len(n.item_inputs or []) != 1:
                    raise Unsupported(f"map `{n.id}`: only one iterable is lowered")
            for b in n.inputs.values():
                if isinstance(b, ItemRef) and b.index:
                    raise Unsupported(f"node `{n.id}` unpacks fan-out items")

    # ------------------------------------------------------------------------ helpers
    def cond(self, node_id: str) -> list[Cond]:
        """The (branch, arm) pairs a node runs under, outermost first."""
        out: list[Cond] = []
        n = self.nodes[node_id]
        while n.parent is not None:
            p = self.nodes[n.parent]
            if p.kind == "branch" and n.arm is not None:
                out.append((p.id, n.arm))
            n = p
        out.reverse()
        return out

    def is_step(self, n: Node) -> bool:
        return n.kind in ("task", "map", "trace", "branch") or _effect(n)

    def check_effects(self) -> None:
        """A side-effect glue node runs once, as its own step: nothing may fold it again."""
        read: set[str] = set()
        for n in self.plan.nodes:
            bindings: list[Binding | None] = [*n.inputs.values()]
            if isinstance(n.over, list):
                bindings.extend(n.over)
            else:
                bindings.append(n.over)
            for spec in (n.collect or {}).values():
                bindings.extend(spec if isinstance(spec, list) else [spec])
            for cases in (n.cases or {}).values():
                bindings.extend(c.source for c in cases)
            read |= {b.node for b in bindings if isinstance(b, NodeRef)}
        read |= {o.source.node for o in self.plan.outputs if isinstance(o.source, NodeRef)}
        for n in self.plan.nodes:
            if _effect(n) and n.id in read:
                raise Unsupported(f"node `{n.id}` has side effects and later steps read its "
                                  "value: a DAG would run it more than once")

    def step_ref(self, node_id: str, output: str) -> tuple[str, str] | None:
        t = self.nodes.get(node_id)
        if t is None:
            raise Unsupported(f"reference to unknown node `{node_id}`")
        if t.kind in ("task", "map", "trace"):
            return t.id, output
        if t.kind == "fanout":
            b = (t.collect or {}).get(output)
            if isinstance(b, NodeRef):
                return b.node, b.output
        return None

    def direct(self, b: Binding, consumer: Node) -> str | None:
        """The Argo value of a binding, when no computing is needed."""
        if isinstance(b, ConstRef):
            return json.dumps(b.value)
        if isinstance(b, ErrorRef) or b.index:
            return None
        if isinstance(b, InputRef):
            return f"{{{{workflow.parameters.{b.name}}}}}"
        if isinstance(b, ItemRef):
            return "{{item}}" if b.node == consumer.parent else None
        if isinstance(b, NodeRef):
            ref = self.step_ref(b.node, b.output)
            if ref is None or not _prefix(self.cond(ref[0]), self.cond(consumer.id)):
                return None
            return f"{{{{tasks.{self.steps[ref[0]]}.outputs.parameters.{ref[1]}}}}}"
        return None

    def needs(self, b: Binding | None, seen: frozenset[str] = frozenset()) -> set[Key]:
        """The workflow inputs and step outputs a computed value is made from."""
        if b is None or isinstance(b, ConstRef):
            return set()
        if isinstance(b, InputRef):
            return {("input", b.name, "")}
        if isinstance(b, (ItemRef, ErrorRef)):
            raise Unsupported("a computed value uses a fan-out item or an error")
        ref = self.step_ref(b.node, b.output)
        if ref is not None:
            return {("node", ref[0], ref[1])}
        if b.node in seen:
            raise Unsupported(f"cycle through `{b.node}`")
        t = self.nodes[b.node]
        seen = seen | {t.id}
        out: set[Key] = set()
        if t.kind == "glue":
            for x in t.inputs.values():
                out |= self.needs(x, seen)
            return out
        if t.kind == "merge":
            for case in (t.cases or {}).get(b.output, []):
                out |= self.needs(case.source, seen)
                for c in case.when:
                    if self.nodes[c.node].kind != "branch":
                        raise Unsupported(f"merge `{t.id}` depends on a `{c.node}` node")
                    out.add(("node", c.node, "arm"))
            return out
        raise Unsupported(f"value of a `{t.kind}` node (`{t.id}`) is not lowered")

    def order_needs(self, node: Node) -> set[Key]:
        out: set[Key] = set()
        for a in node.after:
            t = self.nodes.get(a)
            if t is None:
                continue
            if _effect(t):
                out.add(("after", t.id, ""))
                continue
            if t.kind == "branch":  # after the branch: after what its arms run, too
                out |= {("after", d, "") for d in self.inside(t.id) if _effect(self.nodes[d])}
            if t.kind in ("task", "map", "trace", "branch"):
                out.add(("node", t.id, "arm" if t.kind == "branch" else (t.outputs or ["o0"])[0]))
            else:
                out |= self.needs(NodeRef.model_validate(
                    {"from": "node", "node": a, "output": (t.outputs or ["o0"])[0]}))
        return out

    def inside(self, node_id: str) -> list[str]:
        out: list[str] = []
        for c in self.children.get(node_id, []):
            out.append(c.id)
            out.extend(self.inside(c.id))
        return out

    def key_ref(self, key: Key, consumer: str | None) -> tuple[str, bool]:
        """The Argo reference to a value for a driver step, and whether it is guarded."""
        if key[0] == "input":
            return f"{{{{workflow.parameters.{key[1]}}}}}", False
        step = self.steps[key[1]]
        mine = self.cond(consumer) if consumer is not None else []
        theirs = self.cond(key[1])
        if _prefix(theirs, mine):
            return f"{{{{tasks.{step}.outputs.parameters.{key[2]}}}}}", False
        extra = theirs[len(_common(theirs, mine)):]
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
                        outputs: list[str]) -> tuple[str, list[tuple[str, str]]]:
        """A container template running the worker on one node; returns it and its args."""
        name = self.template_names.get(f"driver:{node_id}:{hint}", hint)
        args = ["--plan", PLAN_FILE, "--node", node_id, "--outputs", OUTPUTS_DIR, *extra_args]
        params: list[str] = []
        arguments: list[tuple[str, str]] = []
        consumer = node_id if node_id in self.nodes else None
        for i, key in enumerate(sorted(k for k in keys if k[0] != "after")):
            p = f"v{i}"
            params.append(p)
            ref, _ = self.key_ref(key, consumer)
            arguments.append((p, ref))
            if key[0] == "input":
                args += ["--input", f"{key[1]}={{{{inputs.parameters.{p}}}}}"]
            else:
                args += ["--value", f"{key[1]}.{key[2]}={{{{inputs.parameters.{p}}}}}"]
        self.containers.append(ContainerTemplate(
            name=name, environment=self.plan.environment, args=args, inputs=params,
            outputs=outputs, task_settings=False,
        ))
        return name, arguments

    def task_template(self, task: str, inputs: list[str], outputs: list[str]) -> str:
        sig = (task, tuple(inputs))
        if sig in self._task_templates:
            return self._task_templates[sig]
        callee = self.plan.callees[task]
        env = callee.environment
        name = self.template_names.get(f"task:{task}:{','.join(inputs)}", task)
        args = ["--plan", PLAN_FILE, "--task", task, "--outputs", OUTPUTS_DIR]
        for p in inputs:
            args += ["--input", f"{p}={{{{inputs.parameters.{p}}}}}"]
        version = _version(task, env, self.plans, self.plan.source.code_hash)
        annotations = {}
        _, accel = ctr.gpu_of(env)
        if accel:
            annotations[ctr.ACCELERATOR_ANNOTATION] = accel
        self.containers.append(ContainerTemplate(
            name=name, environment=env, args=args, inputs=list(inputs), outputs=outputs,
            memoize_key=memo_key(task, env, inputs, version), annotations=annotations,
        ))
        self._task_templates[sig] = name
        return name

    # ------------------------------------------------------------------------ steps
    def add_task_step(self, n: Node) -> None:
        assert n.task is not None
        name = self.steps[n.id]
        parent = self.nodes.get(n.parent) if n.parent else None
        fanout = parent if parent is not None and parent.kind == "fanout" else None
        over: Binding | None = None
        item_param: str | None = None
        if n.kind == "map":
            raw = n.over if isinstance(n.over, list) else [n.over]
            over = raw[0]
            item_param = (n.item_inputs or [""])[0]
        elif fanout is not None:
            assert not isinstance(fanout.over, list)
            over = fanout.over
        values: dict[str, str] = {}
        computed: list[str] = []
        direct_keys: set[Key] = set()
        for p, b in n.inputs.items():
            v = self.direct(b, n)
            if v is None:
                computed.append(p)
            else:
                values[p] = v
                direct_keys |= self._direct_keys(b)
        over_ref: str | None = None
        if over is not None:
            over_ref = self.direct(over, fanout or n)
            if over_ref is None:
                computed.append(OVER)
            else:
                direct_keys |= self._direct_keys(over)
        direct_keys |= self.order_needs(n)
        dep, when = self.depends(direct_keys, n.id)
        if computed:
            args_step = self.task_names.get(f"args:{n.id}", f"{n.id}-args")
            arg_keys = self.needs_only(n, computed, over)
            tmpl, arguments = self.driver_template(
                n.id, f"{n.id}-args", arg_keys,
                [a for p in computed for a in ("--binding", p)], computed)
            arg_dep, arg_when = self.depends(arg_keys, n.id)
            self.tasks.append(DagTask(name=args_step, template=tmpl, arguments=arguments,
                                      depends=arg_dep, when=arg_when))
            for p in computed:
                ref = f"{{{{tasks.{args_step}.outputs.parameters.{p}}}}}"
                if p == OVER:
                    over_ref = ref
                else:
                    values[p] = ref
            dep = f"{dep} && {args_step}" if dep else args_step
        inputs = list(n.inputs)
        if item_param is not None:
            inputs = [item_param, *[p for p in inputs if p != item_param]]
            values[item_param] = "{{item}}"
        outputs = list(n.outputs) or ["o0"]
        tmpl = self.task_template(n.task, inputs, outputs)
        arguments = [(p, values[p]) for p in inputs]
        concurrency = n.concurrency if isinstance(n.concurrency, int) else 0
        if n.kind == "map" and concurrency > 0:
            assert over_ref is not None
            inner = self.template_names.get(f"map:{n.id}", f"{n.id}-map")
            inner_args = [(p, "{{item}}" if p == item_param else f"{{{{inputs.parameters.{p}}}}}")
                          for p in inputs]
            self.dags.append(DagTemplate(
                name=inner,
                inputs=["items", *[p for p in inputs if p != item_param]],
                parallelism=concurrency,
                tasks=[DagTask(name="item", template=tmpl, arguments=inner_args,
                               with_param="{{inputs.parameters.items}}")],
                outputs=[(o, f"{{{{tasks.item.outputs.parameters.{o}}}}}") for o in outputs],
            ))
            outer_args = [("items", over_ref), *[(p, v) for p, v in arguments if p != item_param]]
            self.tasks.append(DagTask(name=name, template=inner, arguments=outer_args,
                                      depends=dep, when=when))
            return
        self.tasks.append(DagTask(name=name, template=tmpl, arguments=arguments, depends=dep,
                                  when=when, with_param=over_ref))

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
        outputs = ["arm"] if n.kind == "branch" else [] if _effect(n) else (
            list(n.outputs) or ["o0"])
        tmpl, arguments = self.driver_template(n.id, n.id, keys, [], outputs)
        dep, when = self.depends(keys, n.id)
        self.tasks.append(DagTask(name=self.steps[n.id], template=tmpl, arguments=arguments,
                                  depends=dep, when=when))

    def outputs(self) -> list[tuple[str, str]]:
        refs: list[tuple[str, str]] = []
        for o in self.plan.outputs:
            ref = None
            if isinstance(o.source, NodeRef) and not o.source.index:
                s = self.step_ref(o.source.node, o.source.output)
                if s is not None and not self.cond(s[0]):
                    ref = f"{{{{tasks.{self.steps[s[0]]}.outputs.parameters.{s[1]}}}}}"
            if ref is None:
                break
            refs.append((o.name, ref))
        else:
            return refs
        keys: set[Key] = set()
        for o in self.plan.outputs:
            keys |= self.needs(o.source)
        names = [o.name for o in self.plan.outputs]
        step = self.task_names.get("@outputs", "outputs")
        tmpl, arguments = self.driver_template("@outputs", "outputs", keys, [], names)
        dep, _ = self.depends(keys, None)
        self.tasks.append(DagTask(name=step, template=tmpl, arguments=arguments, depends=dep))
        return [(o, f"{{{{tasks.{step}.outputs.parameters.{o}}}}}") for o in names]

    def build(self) -> WorkflowSpec:
        self.check()
        self.check_effects()
        for n in self.plan.nodes:
            if self.is_step(n):
                self.steps[n.id] = self.task_names.get(n.id)
        self.task_names = _Reserved(self.task_names)
        for n in self.plan.nodes:
            if n.kind in ("task", "map"):
                self.add_task_step(n)
            elif self.is_step(n):
                self.add_driver_step(n)
        outs = self.outputs()
        entry = DagTemplate(name=self.entry, tasks=self.tasks, outputs=outs)
        return WorkflowSpec(
            name=label(self.plan.task),
            task=self.plan.task,
            entrypoint=self.entry,
            parameters=_parameters(self.plan),
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


def _effect(n: Node) -> bool:
    return n.kind == "glue" and bool(n.effect)


def _prefix(a: list[Cond], b: list[Cond]) -> bool:
    return len(a) <= len(b) and b[: len(a)] == a


def _common(a: list[Cond], b: list[Cond]) -> list[Cond]:
    out: list[Cond] = []
    for x, y in zip(a, b):
        if x != y:
            break
        out.append(x)
    return out
