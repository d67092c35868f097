import json,sys
# usage: python3 scripts/i18n/missing-keys.py <repo> <todo.json>
# Writes {dotted.key: {"en": ..., "ar": ...}} for every key some catalogue lacks: the list to translate.
repo, out = sys.argv[1], sys.argv[2]
import glob,os
en=json.load(open(f'{repo}/messages/en.json',encoding='utf-8'))
ar=json.load(open(f'{repo}/messages/ar.json',encoding='utf-8'))
def leaves(d,p=''):
    for k,v in d.items():
        q=f'{p}.{k}' if p else k
        if isinstance(v,dict): yield from leaves(v,q)
        else: yield q,v
enL=dict(leaves(en)); arL=dict(leaves(ar))
todo={}
for f in sorted(glob.glob(f'{repo}/messages/*.json')):
    loc=os.path.basename(f)[:-5]
    if loc in ('en','ar'): continue
    L=dict(leaves(json.load(open(f,encoding='utf-8'))))
    for k in enL:
        if k not in L: todo.setdefault(k,{'en':enL[k],'ar':arL.get(k)})
json.dump(todo,open(out,'w',encoding='utf-8'),ensure_ascii=False,indent=2)
print(len(todo),'keys missing somewhere')
