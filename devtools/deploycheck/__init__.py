"""`make deploy-recipe`: the files of deploy/ run and checked over HTTPS
(devtools/management/commands/deploy_recipe.py)."""
